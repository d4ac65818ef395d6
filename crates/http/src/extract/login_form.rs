//! The OAuth2 password form of `POST /auth/token`: form-encoded as the old frontend sends it,
//! multipart as FastAPI also took it, and JSON for scripts.

use poem::{FromRequest, Request, RequestBody, web::Multipart};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry},
};
use serde_json::{Map, Value};

use crate::{error::ApiError, validation_item::ValidationItem};

#[derive(Debug)]
pub struct LoginForm {
    fields: Map<String, Value>,
}

/// Validated credentials.
#[derive(Debug)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl LoginForm {
    pub fn credentials(self) -> Result<Credentials, ApiError> {
        let input = Value::Object(self.fields.clone());
        let mut items = Vec::new();
        let mut text = |name: &str| match self.fields.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => {
                items.push(ValidationItem::missing(
                    vec!["body".into(), name.into()],
                    input.clone(),
                ));
                None
            }
        };
        let username = text("username");
        let password = text("password");
        for (name, value) in [("username", &username), ("password", &password)] {
            if let Some(value) = value {
                items.extend(crate::validation::control_character(
                    vec!["body".into(), name.into()],
                    value,
                ));
            }
        }
        if let Some(g) = self.fields.get("grant_type").filter(|g| !g.is_null())
            && g.as_str() != Some("password")
        {
            items.push(ValidationItem::new(
                "string_pattern_mismatch",
                vec!["body".into(), "grant_type".into()],
                "String should match pattern '^password$'",
                g.clone(),
            ));
        }
        match (username, password) {
            (Some(username), Some(password)) if items.is_empty() => {
                Ok(Credentials { username, password })
            }
            _ => Err(ApiError::Validation(items)),
        }
    }
}

fn string_fields(pairs: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

impl<'a> ApiExtractor<'a> for LoginForm {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(_registry: &mut Registry) {}

    fn request_meta() -> Option<MetaRequest> {
        let mut schema = MetaSchema::new("object");
        for (name, required) in [
            ("username", true),
            ("password", true),
            ("grant_type", false),
        ] {
            schema.properties.push((
                name,
                MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))),
            ));
            if required {
                schema.required.push(name);
            }
        }
        Some(MetaRequest {
            description: Some("OAuth2 password flow; JSON is accepted too."),
            content: vec![MetaMediaType {
                content_type: "application/x-www-form-urlencoded",
                schema: MetaSchemaRef::Inline(Box::new(schema)),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let content_type = request
            .content_type()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let fields = if content_type.starts_with("multipart/form-data") {
            let mut multipart = <Multipart as FromRequest>::from_request(request, body).await?;
            let mut pairs = Vec::new();
            while let Some(field) = multipart.next_field().await? {
                let name = field.name().unwrap_or_default().to_string();
                pairs.push((name, field.text().await?));
            }
            string_fields(pairs)
        } else {
            let raw = super::read_body(request, body).await?;
            if content_type.starts_with("application/json") {
                match serde_json::from_slice::<Value>(&raw) {
                    Ok(Value::Object(m)) => m,
                    _ => Map::new(),
                }
            } else {
                string_fields(
                    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&raw).unwrap_or_default(),
                )
            }
        };
        Ok(Self { fields })
    }
}
