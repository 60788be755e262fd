//! DNS look-ups for custom-domain checks, with hickory-resolver: against the configured
//! server (`DNS_RESOLVER`) or the machine's resolvers. Without a cache, so a re-check sees
//! a record that was just removed.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{Resolver, TokioResolver};

/// How long one look-up may take.
const TIMEOUT: Duration = Duration::from_secs(3);

pub struct DnsLookup {
    server: Option<SocketAddr>,
}

impl DnsLookup {
    pub fn new(server: Option<SocketAddr>) -> Self {
        Self { server }
    }

    fn resolver(&self) -> Result<TokioResolver, String> {
        let mut options = ResolverOpts::default();
        options.timeout = TIMEOUT;
        options.attempts = 1;
        options.cache_size = 0;
        let provider = TokioRuntimeProvider::default();
        let builder = match self.server {
            Some(server) => {
                let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                    .map(|mut c| {
                        c.port = server.port();
                        c
                    })
                    .to_vec();
                let name_server = NameServerConfig::new(server.ip(), true, connections);
                let config = ResolverConfig::from_name_servers(vec![name_server]);
                Resolver::builder_with_config(config, provider)
            }
            None => Resolver::builder(provider).map_err(|e| e.to_string())?,
        };
        builder
            .with_options(options)
            .build()
            .map_err(|e| e.to_string())
    }

    async fn lookup(&self, name: &str) -> Result<Vec<String>, String> {
        let resolver = self.resolver()?;
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        match resolver.txt_lookup(fqdn).await {
            Ok(found) => Ok(found
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::TXT(txt) => Some(
                        txt.txt_data
                            .iter()
                            .map(|part| String::from_utf8_lossy(part))
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()),
            Err(e) if e.is_no_records_found() => Ok(Vec::new()),
            Err(e) => Err(format!("the DNS look-up failed: {e}")),
        }
    }
}

impl tenancy::TxtLookup for DnsLookup {
    /// Runs on a blocking thread (a request's `blocking` call or a job worker): the look-up
    /// gets a small runtime of its own.
    fn txt(&self, name: &str) -> Result<Vec<String>, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(self.lookup(name))
    }
}
