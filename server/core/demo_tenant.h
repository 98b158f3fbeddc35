#pragma once
// `atende-server admin demo [--slug=demo]`, used by the README's run command: makes sure a demo tenant
// exists with an admin, a supervisor and an agent (emails <role>@<slug>.atende.example) and two sectors,
// then gives each user a NEW generated password and prints the three sign-ins. Nothing is stored in plain
// text: running it again simply prints fresh passwords (and signs the old sessions out).

#include "common/core/result.h"

#include <QList>
#include <QString>

namespace atende::server::db {
class DbExecutor;
}

namespace atende::server::core {

struct DemoSignIn {
    QString role;
    QString email;
    QString password;
};

struct DemoTenant {
    QString slug;
    bool created = false;
    QList<DemoSignIn> users;
};

atende::core::Result<DemoTenant> ensureDemoTenant(db::DbExecutor &executor, const QString &slug);

// `atende-server admin reset-password --email=EMAIL`: a new generated password for that user (any tenant),
// their refresh tokens revoked, audit-logged. Returns the password to print once.
atende::core::Result<QString> resetPasswordByEmail(db::DbExecutor &executor, const QString &email);

} // namespace atende::server::core
