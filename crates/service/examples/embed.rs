//! Embedding fixdesk in another Rust program, without HTTP: start the service on a database,
//! create a user, sign in as them and read the account back.
//!
//! Run with `cargo run -p fixdesk-service --example embed`.

use fixdesk_service::{
    Fixdesk, Helpdesk, ServiceError, ServiceSettings,
    domain::{ClientInfo, NewUser, Password, Role, Username},
};

#[tokio::main]
async fn main() -> Result<(), ServiceError> {
    // Any database URL works: a file (`sqlite://helpdesk.db`) or `postgres://…`.
    let fixdesk = Fixdesk::start(ServiceSettings::new("sqlite::memory:")).await?;
    fixdesk.ensure_admin(Some("example-admin-pass")).await?;
    let client = ClientInfo {
        ip: None,
        user_agent: Some("embed-example".into()),
    };

    // Every use case acts for someone: sign in as the admin to get an actor.
    let admin_token = fixdesk
        .auth()
        .login("admin", "example-admin-pass", &client)
        .await?;
    let admin = fixdesk
        .auth()
        .authenticate(&admin_token.access_token)
        .await?;

    let new_user = NewUser {
        username: Username::parse("teacher_anna").map_err(|e| ServiceError::Domain(e.into()))?,
        password: Password::parse("a-long-password").map_err(|e| ServiceError::Domain(e.into()))?,
        email: None,
        full_name: None,
        role: Role::User,
        is_active: true,
    };
    let created = fixdesk.users().create(&admin, new_user, &client).await?;
    println!("created user #{} {}", created.id, created.username);

    let token = fixdesk
        .auth()
        .login("teacher_anna", "a-long-password", &client)
        .await?;
    let anna = fixdesk.auth().authenticate(&token.access_token).await?;
    let me = fixdesk.users().me(&anna).await?;
    println!(
        "signed in as {} (role {}), token valid until {}",
        me.username, me.role, token.expires_at
    );
    assert_eq!(me.id, created.id);
    Ok(())
}
