//! Users, roles and API tokens. Passwords are kept only as Argon2id hashes,
//! tokens only as SHA-256 digests; neither ever reaches the log or an error
//! message. Adding a user or issuing a token is an audit-log entry naming who did it.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use dossier_model::LogAction;
use dossier_model::Sha256Hex;
use serde_json::json;

use crate::{App, AppError};

/// What a user may do; each role may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Reads incidents, sources and claims.
    Viewer,
    /// Also ingests reports.
    Analyst,
    /// Also reviews claims and decides grouping.
    Reviewer,
    /// Also manages users.
    Admin,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::Reviewer, Role::Admin];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in user.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// The user's name (an account name, not a protected person's).
    pub name: String,
    /// What they may do.
    pub role: Role,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "User({}, {})", self.name, self.role.as_str())
    }
}

/// A password as given: never printed.
pub struct Password(String);

impl Password {
    /// Wraps a password (at least 12 characters).
    pub fn new(p: String) -> Result<Password, AppError> {
        if p.chars().count() < 12 {
            return Err(AppError::Invalid("a password needs at least 12 characters".into()));
        }
        Ok(Password(p))
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A browser session just started.
pub struct Session {
    /// The cookie's secret (`dss_…`), stored only as its SHA-256.
    pub token: String,
    /// The token every state-changing request of this session must echo.
    pub csrf: String,
    /// Who signed in.
    pub user: User,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session({:?})", self.user)
    }
}

/// 32 random bytes as hex.
fn random_hex() -> Result<String, AppError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
    Ok(hex::encode(b))
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl App {
    /// Adds a user with a role; `by` is who adds them (logged).
    pub async fn add_user(&self, name: &str, role: Role, password: &Password, by: &str) -> Result<(), AppError> {
        if !valid_name(name) {
            return Err(AppError::Invalid("a user name is 1–64 letters, digits, '.', '_' or '-'".into()));
        }
        if self.store.user(name).await?.is_some() {
            return Err(AppError::Invalid(format!("user {name} already exists")));
        }
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| AppError::Invalid(format!("no randomness for a salt: {e}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Invalid(e.to_string()))?;
        let hash = Argon2::default()
            .hash_password(password.0.as_bytes(), &salt)
            .map_err(|e| AppError::Invalid(format!("cannot hash the password: {e}")))?
            .to_string();
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let payload = json!({ "role": role.as_str() });
        let entry = tx.append(&now, by, LogAction::UserAdded, name, &payload.to_string()).await?;
        tx.insert_user(name, role.as_str(), &hash, &now, entry.seq).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The user whose name and password these are; `None` for any mismatch
    /// (which of the two was wrong is not told).
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<Option<User>, AppError> {
        let Some((role, hash)) = self.store.user(name).await? else {
            // Spend the same effort as a real check, so timing does not tell which names exist.
            if let Ok(salt) = SaltString::encode_b64(&[0; 16]) {
                let _ = Argon2::default().hash_password(password.as_bytes(), &salt);
            }
            return Ok(None);
        };
        let Ok(parsed) = PasswordHash::new(&hash) else { return Ok(None) };
        if Argon2::default().verify_password(password.as_bytes(), &parsed).is_err() {
            return Ok(None);
        }
        Ok(Role::parse(&role).map(|role| User { name: name.to_string(), role }))
    }

    /// Issues an API token for a user; returned once, stored only as a digest.
    pub async fn issue_token(&self, name: &str, by: &str) -> Result<String, AppError> {
        if self.store.user(name).await?.is_none() {
            return Err(AppError::NotFound(format!("user {name}")));
        }
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| AppError::Invalid(format!("no randomness for a token: {e}")))?;
        let token = format!("dsr_{}", hex::encode(secret));
        let digest = Sha256Hex::of(token.as_bytes());
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let entry = tx.append(&now, by, LogAction::TokenIssued, name, "{}").await?;
        tx.insert_token(digest.as_str(), name, &now, entry.seq).await?;
        self.commit(tx).await?;
        Ok(token)
    }

    /// The user an API token was issued to.
    pub async fn token_user(&self, token: &str) -> Result<Option<User>, AppError> {
        if !token.starts_with("dsr_") || token.len() != 68 {
            return Ok(None);
        }
        let digest = Sha256Hex::of(token.as_bytes());
        Ok(self
            .store
            .token_user(digest.as_str())
            .await?
            .and_then(|(name, role)| Role::parse(&role).map(|role| User { name, role })))
    }

    /// Every user: name, role, when added.
    pub async fn users(&self) -> Result<Vec<(String, Role, String)>, AppError> {
        Ok(self.store.users().await?.into_iter().filter_map(|(n, r, at)| Role::parse(&r).map(|r| (n, r, at))).collect())
    }

    /// Signs a user in: a new session (its secret for the cookie and its CSRF
    /// token), valid for 12 hours, logged as `session.started`. `None` when the
    /// name or password is wrong.
    pub async fn start_session(&self, name: &str, password: &str) -> Result<Option<Session>, AppError> {
        let Some(user) = self.authenticate(name, password).await? else { return Ok(None) };
        let (secret, csrf) = (random_hex()?, random_hex()?);
        let token = format!("dss_{secret}");
        let now = self.clock.now();
        let expires = chrono::DateTime::parse_from_rfc3339(&now)
            .map(|t| (t + chrono::Duration::hours(12)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .map_err(|e| AppError::Invalid(format!("clock gave {now:?}: {e}")))?;
        let mut tx = self.store.begin().await?;
        tx.append(&now, name, LogAction::SessionStarted, name, "{}").await?;
        tx.insert_session(Sha256Hex::of(token.as_bytes()).as_str(), name, &csrf, &now, &expires).await?;
        self.commit(tx).await?;
        Ok(Some(Session { token, csrf, user }))
    }

    /// The user and CSRF token of a live session.
    pub async fn session_user(&self, token: &str) -> Result<Option<(User, String)>, AppError> {
        if !token.starts_with("dss_") || token.len() != 68 {
            return Ok(None);
        }
        let Some((name, role, csrf, expires)) = self.store.session(Sha256Hex::of(token.as_bytes()).as_str()).await?
        else {
            return Ok(None);
        };
        if expires <= self.clock.now() {
            return Ok(None);
        }
        Ok(Role::parse(&role).map(|role| (User { name, role }, csrf)))
    }

    /// Signs out: the session ends, logged as `session.ended` under the
    /// user's name (expired sessions are cleared too).
    pub async fn end_session(&self, token: &str) -> Result<(), AppError> {
        let id = Sha256Hex::of(token.as_bytes());
        let Some((name, ..)) = self.store.session(id.as_str()).await? else { return Ok(()) };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if tx.delete_session(id.as_str(), &now).await? {
            tx.append(&now, &name, LogAction::SessionEnded, &name, "{}").await?;
        }
        self.commit(tx).await?;
        Ok(())
    }

    /// Whether authentication is configured: at least one admin exists.
    pub async fn has_admin(&self) -> Result<bool, AppError> {
        Ok(self.users().await?.iter().any(|(_, r, _)| *r == Role::Admin))
    }
}
