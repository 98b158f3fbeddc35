#pragma once
// Administrative commands of atende-server (issue 3: no default passwords, tenants and the first users are
// created from the command line; the audit chain is checked from it):
//
//   atende-server admin create-tenant --name=NAME --slug=SLUG
//   atende-server admin create-user --tenant=SLUG --email=EMAIL --name=NAME --role=admin|supervisor|agent
//                                   [--password-stdin]
//   atende-server admin rotate-master-key --new-key-file=PATH
//   atende-server audit verify
//
// Every other --key=value option is server configuration (database_url, data_dir, ...), loaded exactly as
// for the server. The command reaches the same database the server would: database_url, or the embedded
// cluster under data_dir (started if needed and stopped again afterwards, unless it was already running),
// applies pending migrations, does its work and exits. create-user prints a generated 20-character
// password once unless --password-stdin gives one. rotate-master-key re-wraps every stored data key with the
// key in PATH (created, mode 0600, when missing) in one transaction; stop the servers first, then point
// master_key_file at PATH. Exit codes: 0 done, 1 failed (for `audit verify`: the
// chain is broken, the first broken tenant and seq are printed), 2 usage error.

#include <QStringList>

namespace atende::server::core {

// True when args (without the program name) start with "admin" or "audit".
bool isAdminCommand(const QStringList &args);
// Runs the command; a QCoreApplication must exist. Returns the process exit code.
int runAdminCommand(const QStringList &args);

} // namespace atende::server::core
