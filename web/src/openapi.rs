//! The OpenAPI document: its header, the bearer scheme, the error answers the framework itself
//! gives on every route (added here once instead of on each handler), and the route table that
//! lets an undeclared method answer 405 instead of 404.

use std::collections::BTreeMap;

use actix_web::http::Method;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

#[derive(OpenApi)]
#[openapi(
    info(title = "Wizamart API", description = "Multi-tenant e-commerce platform: admin, vendor and shop APIs."),
    modifiers(&BearerAuth),
    paths(crate::routes::pages::admin::login_page, crate::routes::pages::vendor::login_page),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "auth", description = "Sign-in, tokens, who am I"),
        (name = "admin", description = "Platform administration (admin token)"),
        (name = "vendor", description = "A vendor's dashboard (vendor token); each route names its permission in `security`"),
        (name = "shop", description = "A shop's public catalogue (no token)"),
        (name = "browser", description = "Browser sessions for the portal pages (cookies + CSRF)"),
        (name = "operations", description = "Health probes and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

fn error_answer(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

/// Adds to each operation of the JSON API the error answers that come from the framework
/// rather than from the handler: 401/403 where a token is needed, 404 for a path parameter that
/// names nothing, 413/415/422 for a body, 422 for a query or NUL input, 503 while the database
/// is unreachable. A handler's own answers (409, 429, ...) stay on its `#[utoipa::path]`.
pub fn add_framework_answers(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        for op in operations(item) {
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error_answer(description));
            };
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let has_path_params = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Path);
            let has_body = op.request_body.is_some();
            if secured {
                add("401", "not signed in, or the token is invalid or expired");
                add(
                    "403",
                    "signed in but not allowed (permission, account or vendor state)",
                );
            }
            if has_path_params {
                add("404", "no such resource (or another vendor's)");
            }
            if has_body {
                add("413", "the body is too large");
                add("415", "the body is not of the documented content type");
            }
            if path.starts_with("/api/") || has_body {
                add("422", "the body, query or path is not valid");
                add("503", "the database is briefly unavailable; try again");
            }
        }
    }
}

/// Upload forms take exactly their documented fields: say so (`additionalProperties: false`)
/// in each multipart body's schema, so a generated client sends no other part (a part with an
/// unreadable name fails the whole form).
pub fn close_upload_forms(doc: &mut utoipa::openapi::OpenApi) {
    let mut forms = Vec::new();
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            let multipart = op
                .request_body
                .as_ref()
                .and_then(|body| body.content.get("multipart/form-data"));
            if let Some(RefOr::Ref(form)) = multipart.and_then(|c| c.schema.as_ref()) {
                forms.push(
                    form.ref_location
                        .trim_start_matches("#/components/schemas/")
                        .to_owned(),
                );
            }
        }
    }
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for name in forms {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(&name) {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
}

/// The API refuses a NUL character in any string (PostgreSQL cannot store one; see
/// `input_guard`): say so in every string schema that has no pattern of its own, and of map
/// keys, body fields and query parameters alike, so a client generated from the document does
/// not send one.
pub fn forbid_nul_in_strings(doc: &mut utoipa::openapi::OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            forbid_nul(schema);
        }
    }
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            for param in op.parameters.iter_mut().flatten() {
                if let Some(schema) = param.schema.as_mut() {
                    forbid_nul(schema);
                }
            }
        }
    }
}

const NO_NUL: &str = "^[^\\u0000]*$";

fn forbid_nul(schema: &mut RefOr<Schema>) {
    let RefOr::T(Schema::Object(object)) = schema else {
        return;
    };
    let is_string = match &object.schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        SchemaType::Type(_) | SchemaType::AnyValue => false,
    };
    let binary = object.format == Some(SchemaFormat::KnownFormat(KnownFormat::Binary));
    if is_string && !binary && object.pattern.is_none() && object.enum_values.is_none() {
        object.pattern = Some(NO_NUL.to_owned());
    }
    // A map's keys are strings too (JSON Schema's `propertyNames`, which utoipa has no field
    // for).
    if matches!(
        object.additional_properties.as_deref(),
        Some(AdditionalProperties::RefOr(_))
    ) {
        object
            .extensions
            .get_or_insert_with(Default::default)
            .insert(
                "propertyNames".into(),
                serde_json::json!({ "pattern": NO_NUL }),
            );
    }
    for property in object.properties.values_mut() {
        forbid_nul(property);
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
        item.head.as_mut(),
        item.options.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// Which methods each documented path answers, so a request for a known path with another
/// method gets 405 and `Allow` rather than 404.
#[derive(Debug, Default)]
pub struct RouteTable {
    /// Path templates split into segments (`{id}` matches any one segment) -> methods.
    routes: Vec<(Vec<String>, Vec<Method>)>,
}

impl RouteTable {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut by_path: BTreeMap<&str, Vec<Method>> = BTreeMap::new();
        for (path, item) in &doc.paths.paths {
            let methods = by_path.entry(path.as_str()).or_default();
            for (method, op) in [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::PATCH, &item.patch),
            ] {
                if op.is_some() {
                    methods.push(method);
                }
            }
        }
        Self {
            routes: by_path
                .into_iter()
                .map(|(path, methods)| (segments(path), methods))
                .collect(),
        }
    }

    /// The methods a path answers, if it is a documented path. Where several templates match
    /// (`/vendors/bulk-import` and `/vendors/{id}`), the one with more literal segments wins,
    /// as it does in the router.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        let parts = segments(path);
        self.routes
            .iter()
            .filter(|(template, _)| {
                template.len() == parts.len()
                    && template
                        .iter()
                        .zip(&parts)
                        .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
            })
            .max_by_key(|(template, _)| template.iter().filter(|t| !t.starts_with('{')).count())
            .map(|(_, methods)| methods.as_slice())
    }

    /// 405 with `Allow` when `path` is documented but not for `method`.
    pub fn refuse_method(&self, method: &Method, path: &str) -> Option<actix_web::HttpResponse> {
        let allowed = self.allowed(path)?;
        if allowed.contains(method) {
            return None;
        }
        let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
        let mut response = actix_web::ResponseError::error_response(&crate::error::ApiError::new(
            actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("use {}", allow.join(" or ")),
        ));
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow.join(", ")) {
            response
                .headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        Some(response)
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_paths_list_their_methods_and_templates_match_one_segment() {
        let doc = ApiDoc::openapi();
        let mut doc = doc;
        doc.paths.paths.insert(
            "/api/v1/admin/vendors/{id}".into(),
            utoipa::openapi::PathItem::new(utoipa::openapi::HttpMethod::Get, Operation::new()),
        );
        doc.paths.paths.insert(
            "/api/v1/admin/vendors/bulk-import".into(),
            utoipa::openapi::PathItem::new(utoipa::openapi::HttpMethod::Post, Operation::new()),
        );
        let table = RouteTable::from_doc(&doc);
        assert_eq!(
            table.allowed("/api/v1/admin/vendors/7"),
            Some(&[Method::GET][..])
        );
        assert_eq!(
            table.allowed("/api/v1/admin/vendors/bulk-import"),
            Some(&[Method::POST][..]),
            "the literal path wins over the template"
        );
        assert!(
            table
                .refuse_method(&Method::PUT, "/api/v1/admin/vendors/bulk-import")
                .is_some()
        );
        assert!(
            table
                .refuse_method(&Method::GET, "/api/v1/admin/vendors/7")
                .is_none()
        );
        assert_eq!(table.allowed("/api/v1/admin/vendors/7/x"), None);
        assert_eq!(table.allowed("/nowhere"), None);
    }
}
