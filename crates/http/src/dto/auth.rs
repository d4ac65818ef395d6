use poem_openapi::Object;

#[derive(Debug, Object)]
pub struct TokenOut {
    pub access_token: String,
    pub token_type: String,
}
