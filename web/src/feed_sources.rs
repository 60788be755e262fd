//! Opening feeds for import jobs: uploads from the media store, addresses over HTTP with the
//! guards an address typed by a vendor needs — no loopback or private networks (unless
//! `IMPORT_ALLOW_PRIVATE_URLS`), timeouts, at most five redirects, a size cap — each as a
//! stream the parser reads a chunk at a time.

use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use marketplace::{FeedSource, FeedSources, SourceError};
use media::MediaStore;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio_util::io::{StreamReader, SyncIoBridge};

/// The server's [`FeedSources`]. Workers are plain threads, so it brings its own small async
/// runtime to drive the HTTP client and the store.
pub struct WebFeedSources {
    runtime: IoRuntime,
    media: MediaStore,
    client: reqwest::Client,
    allow_private: bool,
    max_bytes: u64,
}

impl WebFeedSources {
    pub fn new(media: MediaStore, allow_private: bool, max_bytes: u64) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("feed-io")
            .enable_all()
            .build()?;
        let runtime = IoRuntime(Some(runtime));
        let mut client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .timeout(Duration::from_secs(15 * 60))
            .user_agent("Wizamart feed import")
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= 5 {
                    attempt.error("more than five redirects")
                } else if !allow_private && literal_private_host(attempt.url()) {
                    let host = attempt.url().host_str().unwrap_or("").to_owned();
                    attempt.error(PrivateAddress(host))
                } else {
                    attempt.follow()
                }
            }));
        if !allow_private {
            client = client.dns_resolver(Arc::new(PublicOnly));
        }
        let client = client.build().map_err(io::Error::other)?;
        Ok(Self {
            runtime,
            media,
            client,
            allow_private,
            max_bytes,
        })
    }

    fn reader<S>(&self, stream: S) -> Box<dyn Read + Send>
    where
        S: Stream<Item = io::Result<Bytes>> + Send + Unpin + 'static,
    {
        let bridge =
            SyncIoBridge::new_with_handle(StreamReader::new(stream), self.runtime.handle().clone());
        Box::new(Capped {
            inner: bridge,
            left: self.max_bytes,
            max: self.max_bytes,
        })
    }

    fn fetch(&self, address: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let url = url::Url::parse(address)
            .map_err(|_| SourceError::Refused(format!("{address} is not a web address")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SourceError::Refused(
                "only http and https addresses can be fetched".into(),
            ));
        }
        if !self.allow_private && literal_private_host(&url) {
            return Err(PrivateAddress(url.host_str().unwrap_or("").to_owned()).into());
        }
        let response = self
            .runtime
            // `send` starts its timers at once, so it must be called inside the runtime.
            .block_on(async { self.client.get(url).send().await })
            .map_err(request_error)?;
        let status = response.status();
        if !status.is_success() {
            let said = format!("the feed's server answered {status}");
            return Err(if status.is_server_error() || status.as_u16() == 429 {
                SourceError::Temporary(said)
            } else {
                SourceError::Refused(said)
            });
        }
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes)
        {
            return Err(SourceError::Refused(too_large(self.max_bytes)));
        }
        Ok(self.reader(Box::pin(response.bytes_stream().map_err(io::Error::other))))
    }
}

impl FeedSources for WebFeedSources {
    fn open(&self, source: FeedSource<'_>) -> Result<Box<dyn Read + Send>, SourceError> {
        match source {
            FeedSource::Upload { key } => {
                let stream = self
                    .runtime
                    .block_on(self.media.get_stream(key))
                    .map_err(|e| SourceError::Temporary(e.to_string()))?
                    .ok_or_else(|| {
                        SourceError::Refused("the uploaded file is no longer stored".into())
                    })?;
                Ok(self.reader(stream.map_err(io::Error::other)))
            }
            FeedSource::Url { url } => self.fetch(url),
        }
    }

    fn discard(&self, upload_key: &str) {
        if let Err(e) = self.runtime.block_on(self.media.delete(upload_key)) {
            tracing::warn!(key = upload_key, error = %e, "uploaded feed not removed");
        }
    }
}

fn too_large(max: u64) -> String {
    format!("the feed is larger than {} MB", max / (1024 * 1024))
}

/// The feed runtime, shut down without waiting when dropped: the server's state may be
/// dropped on an async thread, where a blocking shutdown is not allowed.
struct IoRuntime(Option<tokio::runtime::Runtime>);

impl std::ops::Deref for IoRuntime {
    type Target = tokio::runtime::Runtime;

    fn deref(&self) -> &Self::Target {
        // Present from construction until drop.
        self.0.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for IoRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Ends the stream with `FileTooLarge` past the cap (never a silently shortened file).
struct Capped<R> {
    inner: R,
    left: u64,
    max: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| io::Error::new(io::ErrorKind::FileTooLarge, too_large(self.max)))?;
        Ok(n)
    }
}

/// An address in a network the server must not reach for a vendor.
#[derive(Debug)]
struct PrivateAddress(String);

impl std::fmt::Display for PrivateAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is in a private network; a feed must be on the internet",
            self.0
        )
    }
}

impl std::error::Error for PrivateAddress {}

impl From<PrivateAddress> for SourceError {
    fn from(e: PrivateAddress) -> Self {
        SourceError::Refused(e.to_string())
    }
}

/// A refusal of ours stays a refusal; a timeout or connection failure may pass.
fn request_error(e: reqwest::Error) -> SourceError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(err) = source {
        if let Some(private) = err.downcast_ref::<PrivateAddress>() {
            return SourceError::Refused(private.to_string());
        }
        source = err.source();
    }
    if e.is_redirect() {
        return SourceError::Refused(format!("the feed's address redirects too often: {e}"));
    }
    if e.is_builder() {
        return SourceError::Refused(e.to_string());
    }
    SourceError::Temporary(format!("the feed could not be fetched: {e}"))
}

/// Resolves names to public addresses only: a name that resolves to a private one is
/// refused, whichever redirect led to it.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if found.iter().any(|a| !is_public(a.ip())) || found.is_empty() {
                return Err(
                    Box::new(PrivateAddress(host)) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

fn literal_private_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost")
        }
        None => true,
    }
}

/// Whether an address is on the public internet (not loopback, private, link-local, shared,
/// documentation, multicast or reserved).
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || (a == 192 && b == 0 && v4.octets()[2] == 0))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn literal_hosts_are_judged_without_a_lookup() {
        let host = |u: &str| literal_private_host(&url::Url::parse(u).unwrap());
        assert!(host("http://127.0.0.1:8080/feed.csv"));
        assert!(host("http://[::1]/feed.csv"));
        assert!(host("http://localhost/feed.csv"));
        assert!(host("http://shop.localhost/feed.csv"));
        assert!(!host("https://letzshop.lu/feed.csv"));
        assert!(!host("http://1.1.1.1/feed.csv"));
    }

    /// Serves `body` once on loopback; answers its address.
    fn serve_once(body: &'static [u8]) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body).unwrap();
        });
        format!("http://{addr}/feed.csv")
    }

    #[test]
    fn an_address_is_read_as_a_stream_and_its_cap_holds() {
        let sources = WebFeedSources::new(MediaStore::in_memory("/media"), true, 1024).unwrap();
        let url = serve_once(b"id,title,price\nA,t,1\n");
        let mut body = String::new();
        sources
            .open(FeedSource::Url { url: &url })
            .unwrap()
            .read_to_string(&mut body)
            .unwrap();
        assert_eq!(body, "id,title,price\nA,t,1\n");

        let small = WebFeedSources::new(MediaStore::in_memory("/media"), true, 8).unwrap();
        let url = serve_once(b"id,title,price\nA,t,1\n");
        match small.open(FeedSource::Url { url: &url }) {
            Err(SourceError::Refused(reason)) => {
                assert!(reason.contains("larger than"), "{reason}")
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        let guarded = WebFeedSources::new(MediaStore::in_memory("/media"), false, 1024).unwrap();
        match guarded.open(FeedSource::Url {
            url: "http://127.0.0.1:9/feed.csv",
        }) {
            Err(SourceError::Refused(reason)) => {
                assert!(reason.contains("private network"), "{reason}")
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn a_stream_past_its_cap_is_an_error_not_a_short_file() {
        let mut capped = Capped {
            inner: &[7u8; 100][..],
            left: 60,
            max: 60,
        };
        let mut out = Vec::new();
        let err = capped.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }
}
