//! `ruta`: serve, migrate, add users, load demo data.
use clap::{Parser, Subcommand};
use ruta_server::config::Config;
use ruta_server::db::Db;
use ruta_server::services::{demo, users};
use ruta_server::{telemetry, Application};
use ruta_shared::auth::Role;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ruta",
    version,
    about = "Ruta: offline-first route sales server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (config: defaults → ruta.toml → RUTA_* variables).
    Serve {
        /// Load demo data first if the database has no users.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load demo data into an empty database.
    Demo,
    /// Copy the live SQLite database to PATH (safe while the server runs).
    Backup {
        path: std::path::PathBuf,
        /// Replace PATH if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Put a backup in place of the SQLite database (stop the server first).
    Restore { path: std::path::PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from stdin (one line).
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        seller_code: Option<String>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "role must be seller, dispatcher or admin".into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ruta: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _guard = telemetry::init(config.log_dir.as_deref(), config.log_format);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ruta: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn connect(config: &Config) -> Result<Db, String> {
    let db = Db::connect(config.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}

fn config_tls(app: &Application) -> bool {
    app.state().config.runtime.tls.is_some()
}

/// SIGTERM (service managers, containers) or SIGINT (Ctrl-C) starts the
/// graceful stop.
async fn stop_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "stopping gracefully");
        }
        _ => {
            tracing::warn!("cannot listen for SIGTERM; only Ctrl-C stops gracefully");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn print_demo_logins() {
    println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
    for (user, role, code) in demo::DEMO_USERS {
        println!("  {user:<9} {role:<10} {}", code.unwrap_or(""));
    }
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve { demo } => {
            if demo {
                let db = connect(&config).await?;
                if demo::load(&db).await.map_err(|e| e.to_string())? {
                    println!("Demo data loaded.");
                }
                db.close().await;
            }
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
            let app = Application::build(config, listener)
                .await
                .map_err(|e| e.to_string())?;
            let scheme = if config_tls(&app) { "https" } else { "http" };
            // With JSON logs stdout carries only JSON lines.
            if app.state().config.log_format == telemetry::LogFormat::Json {
                tracing::info!(port = app.port(), scheme, "Ruta listening");
            } else {
                println!("Ruta listening on {scheme}://127.0.0.1:{}/", app.port());
            }
            if demo {
                print_demo_logins();
            }
            app.run_until(stop_signal())
                .await
                .map_err(|e| e.to_string())
        }
        Command::Backup { path, force } => {
            let done = ruta_server::backup::backup(config.database_url.expose(), &path, force)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Backup written to {} ({} bytes, {} sales).",
                done.path.display(),
                done.bytes,
                done.sales
            );
            Ok(())
        }
        Command::Restore { path } => {
            let done = ruta_server::backup::restore(config.database_url.expose(), &path)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Restored {} into {} ({} sales).",
                path.display(),
                done.path.display(),
                done.sales
            );
            Ok(())
        }
        Command::Migrate => {
            connect(&config).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Demo => {
            let db = connect(&config).await?;
            if demo::load(&db).await.map_err(|e| e.to_string())? {
                print_demo_logins();
                Ok(())
            } else {
                Err("the database already has users; demo data not loaded".into())
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    seller_code,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let db = connect(&config).await?;
            let user = users::create(
                &db,
                &ruta_server::services::Actor::system("ruta-cli"),
                users::NewUser {
                    username,
                    password,
                    role,
                    seller_code,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "{}",
                serde_json::to_string(&user).map_err(|e| e.to_string())?
            );
            Ok(())
        }
    }
}
