//! A JSON request body that is read by the extractor but parsed only when the handler asks.
//! That lets a handler run its permission checks first where the contract orders them so, and
//! turns serde's errors into the pydantic-style 422 list with real field paths.

use std::marker::PhantomData;

use poem::{Request, RequestBody};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    registry::{MetaMediaType, MetaRequest, Registry},
    types::Type,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{error::ApiError, validation, validation_item::ValidationItem};

pub struct JsonBody<T> {
    raw: Vec<u8>,
    _t: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for JsonBody<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonBody")
            .field("len", &self.raw.len())
            .finish()
    }
}

impl<T: DeserializeOwned> JsonBody<T> {
    pub fn parse(self) -> Result<T, ApiError> {
        if self.raw.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::Validation(vec![ValidationItem::missing(
                vec!["body".into()],
                Value::Null,
            )]));
        }
        let value: Value = serde_json::from_slice(&self.raw).map_err(|e| {
            ApiError::Validation(vec![ValidationItem::new(
                "json_invalid",
                vec!["body".into(), e.column().saturating_sub(1).into()],
                "JSON decode error",
                Value::Object(Default::default()),
            )])
        })?;
        // Every body of this API is an object; serde would also accept a struct as an array.
        if !value.is_object() {
            return Err(ApiError::Validation(vec![ValidationItem::new(
                "model_attributes_type",
                vec!["body".into()],
                "Input should be a valid dictionary or object to extract fields from",
                value,
            )]));
        }
        let mut refused = Vec::new();
        validation::control_characters(&value, &mut vec!["body".into()], &mut refused);
        if !refused.is_empty() {
            return Err(ApiError::Validation(refused));
        }
        serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| {
            ApiError::Validation(vec![validation::from_serde(&value, e.path(), e.inner())])
        })
    }
}

impl<'a, T: Type + DeserializeOwned> ApiExtractor<'a> for JsonBody<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: "application/json",
                schema: T::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let raw = super::read_body(request, body).await?;
        Ok(Self {
            raw,
            _t: PhantomData,
        })
    }
}
