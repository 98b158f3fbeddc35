#include "server/core/admin_commands.h"

#include "server/core/demo_tenant.h"
#include "server/security/password_generator.h"

#include "common/core/json_log.h"
#include "server/core/config.h"
#include "server/core/configured_database.h"
#include "server/core/server_application.h"
#include "server/db/db_executor.h"
#include "server/db/embedded_postgres.h"
#include "server/db/migrator.h"
#include "server/secrets/master_key_rotation.h"
#include "server/secrets/master_key_source.h"
#include "server/security/password_hasher.h"
#include "server/tenancy/audit_log.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"

#include <QDir>
#include <QMap>
#include <QSet>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

namespace atende::server::core {

namespace {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

const char kUsage[] = "usage:\n"
                      "  atende-server admin create-tenant --name=NAME --slug=SLUG [server options]\n"
                      "  atende-server admin create-user --tenant=SLUG --email=EMAIL --name=NAME\n"
                      "                --role=admin|supervisor|agent [--password-stdin] [server options]\n"
                      "  atende-server admin rotate-master-key --new-key-file=PATH [server options]\n"
                      "  atende-server admin reset-password --email=EMAIL [server options]\n"
                      "  atende-server admin demo [--slug=demo] [server options]\n"
                      "  atende-server audit verify [server options]\n";

void printOut(const QString &text)
{
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    std::fputs((QStringLiteral("atende-server: ") + text + QLatin1Char('\n')).toUtf8().constData(), stderr);
}

int usage(const QString &problem)
{
    printErr(problem);
    std::fputs(kUsage, stderr);
    return kExitUsage;
}

// The command's own options (--key=value or --flag) split from the server configuration options.
struct ParsedArgs {
    QMap<QString, QString> options;
    QSet<QString> flags;
    QStringList configArgs;
};

ParsedArgs splitArgs(const QStringList &args, const QStringList &valueKeys, const QStringList &flagKeys)
{
    ParsedArgs out;
    for (const QString &arg : args) {
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        QString key = arg.mid(2, eq < 0 ? -1 : eq - 2);
        key.replace(QLatin1Char('_'), QLatin1Char('-'));
        if (arg.startsWith(QLatin1String("--")) && eq > 0 && valueKeys.contains(key))
            out.options.insert(key, arg.mid(eq + 1));
        else if (arg.startsWith(QLatin1String("--")) && eq < 0 && flagKeys.contains(key))
            out.flags.insert(key);
        else
            out.configArgs << arg;
    }
    return out;
}

// The database as the server would reach it, migrated; stops an embedded cluster it started itself.
class AdminDatabase {
public:
    ~AdminDatabase()
    {
        if (m_db)
            m_db->stop();
        if (m_embedded && m_stopEmbedded)
            (void)m_embedded->stop();
    }

    Status open(const ServerConfig &config)
    {
        Result<ConfiguredDatabase> opened = openConfiguredDatabase(config);
        if (!opened.ok())
            return opened.error();
        // A running server's cluster is adopted and must stay up after the command.
        m_stopEmbedded = opened->startedHere;
        m_embedded = std::move(opened->embedded);
        const db::DbConfig dbConfig = opened->config;
        m_db = std::make_unique<db::DbExecutor>(dbConfig, 1);
        if (Status st = m_db->start(); !st.ok())
            return st;
        Result<int> version =
            m_db->run([](QSqlDatabase &db) { return db::Migrator(db::Migrator::builtIn()).migrate(db); }).result();
        if (!version.ok())
            return version.error();
        return {};
    }

    db::DbExecutor &executor() { return *m_db; }

private:
    std::unique_ptr<db::EmbeddedPostgres> m_embedded;
    bool m_stopEmbedded = false;
    std::unique_ptr<db::DbExecutor> m_db;
};

int createTenant(db::DbExecutor &executor, const ParsedArgs &args)
{
    const QString name = args.options.value(QStringLiteral("name"));
    const QString slug = args.options.value(QStringLiteral("slug"));
    const QUuid id = tenancy::TenantRepository::newId();
    Result<tenancy::Tenant> t =
        executor
            .runTenant(id, [id, name,
                            slug](QSqlDatabase &db) { return tenancy::TenantRepository::create(db, id, name, slug); })
            .result();
    if (!t.ok()) {
        printErr(QStringLiteral("cannot create the tenant: %1").arg(t.error().message));
        return kExitFailed;
    }
    printOut(QStringLiteral("tenant created: %1 %2\n").arg(t->slug, t->id.toString(QUuid::WithoutBraces)));
    return kExitOk;
}

int createUser(db::DbExecutor &executor, const ParsedArgs &args)
{
    tenancy::NewUser user;
    user.email = args.options.value(QStringLiteral("email"));
    user.name = args.options.value(QStringLiteral("name"));
    user.role = args.options.value(QStringLiteral("role"));
    const bool fromStdin = args.flags.contains(QStringLiteral("password-stdin"));
    if (fromStdin) {
        QTextStream in(stdin);
        user.password = in.readLine();
    } else {
        Result<QString> generated = security::generatePassword();
        if (!generated.ok()) {
            printErr(generated.error().message);
            return kExitFailed;
        }
        user.password = generated.value();
    }

    const QString slug = args.options.value(QStringLiteral("tenant"));
    Result<tenancy::Tenant> tenant =
        executor.run([slug](QSqlDatabase &db) { return tenancy::TenantRepository::findBySlug(db, slug); }).result();
    if (!tenant.ok()) {
        printErr(QStringLiteral("tenant %1: %2").arg(slug, tenant.error().message));
        return kExitFailed;
    }
    const QUuid tenantId = tenant->id;
    const security::PasswordHasher hasher;
    Result<tenancy::User> created =
        executor
            .runTenant(tenantId,
                       [tenantId, user, hasher](QSqlDatabase &db) {
                           return tenancy::UserRepository::create(db, tenantId, user, hasher);
                       })
            .result();
    if (!created.ok()) {
        printErr(QStringLiteral("cannot create the user: %1").arg(created.error().message));
        return kExitFailed;
    }
    printOut(QStringLiteral("user created: %1 %2 (%3) in tenant %4\n")
                 .arg(created->email, created->id.toString(QUuid::WithoutBraces), created->role, slug));
    if (!fromStdin)
        printOut(QStringLiteral("password: %1\n(shown only this once)\n").arg(user.password));
    return kExitOk;
}

int verifyAudit(db::DbExecutor &executor)
{
    struct Outcome {
        tenancy::AuditVerification verification;
        QString slug;
    };
    Result<Outcome> r = executor
                            .run([](QSqlDatabase &db) -> Result<Outcome> {
                                Result<tenancy::AuditVerification> v = tenancy::AuditLog::verify(db);
                                if (!v.ok())
                                    return v.error();
                                Outcome o{v.value(), {}};
                                if (!o.verification.intact) {
                                    Result<tenancy::Tenant> t =
                                        tenancy::TenantRepository::findById(db, o.verification.brokenTenant);
                                    if (t.ok())
                                        o.slug = t->slug;
                                }
                                return o;
                            })
                            .result();
    if (!r.ok()) {
        printErr(QStringLiteral("cannot read the audit log: %1").arg(r.error().message));
        return kExitFailed;
    }
    const tenancy::AuditVerification &v = r->verification;
    if (v.intact) {
        printOut(QStringLiteral("audit log intact: %1 rows in %2 tenants\n").arg(v.rows).arg(v.tenants));
        return kExitOk;
    }
    printOut(QStringLiteral("audit log BROKEN: tenant %1 (%2) seq %3: %4\n")
                 .arg(v.brokenTenant.toString(QUuid::WithoutBraces), r->slug.isEmpty() ? QStringLiteral("?") : r->slug)
                 .arg(v.brokenSeq)
                 .arg(v.reason));
    return kExitFailed;
}

// Re-wraps every stored data key with the key in --new-key-file (created when missing). The current key is
// read exactly as the server reads it, but never created: rotating away from a key nobody had is a typo.
int rotateMasterKey(db::DbExecutor &executor, const ServerConfig &config, const ParsedArgs &args)
{
    const secrets::MasterKeySource source{config.masterKeyFile, config.masterKey};
    Result<security::MasterKey> current = source.load(secrets::MasterKeySource::Create::Never);
    if (!current.ok()) {
        printErr(QStringLiteral("cannot read the current %1: %2").arg(source.describe(), current.error().message));
        return kExitFailed;
    }
    const QString newPath = QDir(args.options.value(QStringLiteral("new-key-file"))).absolutePath();
    Result<security::MasterKey> next = security::MasterKey::loadOrCreateFile(newPath);
    if (!next.ok()) {
        printErr(QStringLiteral("cannot read or create the new key file %1: %2").arg(newPath, next.error().message));
        return kExitFailed;
    }
    const security::MasterKey oldKey = current.value();
    const security::MasterKey newKey = next.value();
    Result<secrets::RotationReport> report =
        executor.run([oldKey, newKey](QSqlDatabase &db) { return secrets::MasterKeyRotation::run(db, oldKey, newKey); })
            .result();
    if (!report.ok()) {
        printErr(QStringLiteral("master key rotation failed, nothing was changed: %1").arg(report.error().message));
        return kExitFailed;
    }
    printOut(QStringLiteral("re-wrapped %1 keys with master key %2 (%3 already used it; %4 tenant keys, %5 platform "
                            "key)\n")
                 .arg(report->rewrapped)
                 .arg(newKey.keyIdHex())
                 .arg(report->alreadyRotated)
                 .arg(report->tenantKeys)
                 .arg(report->platformKeys));
    printOut(QStringLiteral("now set master_key_file = %1%2 for every atende-server instance and restart them; "
                            "keep the old key file until they run\n")
                 .arg(newPath, config.masterKey.isEmpty() ? QString()
                                                          : QStringLiteral(" (and unset master_key / "
                                                                           "ATENDE_MASTER_KEY)")));
    return kExitOk;
}

int resetPassword(db::DbExecutor &executor, const ParsedArgs &args)
{
    Result<QString> pw = resetPasswordByEmail(executor, args.options.value(QStringLiteral("email")));
    if (!pw.ok()) {
        printErr(QStringLiteral("cannot reset the password: %1").arg(pw.error().message));
        return kExitFailed;
    }
    printOut(QStringLiteral("password: %1\n(shown only this once; the user's sessions were signed out)\n").arg(pw.value()));
    return kExitOk;
}

int demo(db::DbExecutor &executor, const ParsedArgs &args)
{
    QString slug = args.options.value(QStringLiteral("slug"));
    if (slug.isEmpty())
        slug = QStringLiteral("demo");
    Result<DemoTenant> d = ensureDemoTenant(executor, slug);
    if (!d.ok()) {
        printErr(QStringLiteral("cannot prepare the demo tenant: %1").arg(d.error().message));
        return kExitFailed;
    }
    printOut(QStringLiteral("demo tenant %1 %2; sign in with (new passwords on every run):\n")
                 .arg(d->slug, d->created ? QStringLiteral("created") : QStringLiteral("ready")));
    for (const DemoSignIn &u : d->users)
        printOut(QStringLiteral("  %1  %2  %3\n").arg(u.role.leftJustified(10), u.email.leftJustified(32), u.password));
    return kExitOk;
}

} // namespace

bool isAdminCommand(const QStringList &args)
{
    return !args.isEmpty() && (args.first() == QLatin1String("admin") || args.first() == QLatin1String("audit"));
}

int runAdminCommand(const QStringList &args)
{
    if (args.size() < 2)
        return usage(QStringLiteral("missing command"));
    const QString command = args.at(0) + QLatin1Char(' ') + args.at(1);
    const QStringList rest = args.mid(2);

    ParsedArgs parsed;
    QStringList required;
    if (command == QLatin1String("admin create-tenant")) {
        required = {QStringLiteral("name"), QStringLiteral("slug")};
        parsed = splitArgs(rest, required, {});
    } else if (command == QLatin1String("admin create-user")) {
        required = {QStringLiteral("tenant"), QStringLiteral("email"), QStringLiteral("name"), QStringLiteral("role")};
        parsed = splitArgs(rest, required, {QStringLiteral("password-stdin")});
    } else if (command == QLatin1String("admin rotate-master-key")) {
        required = {QStringLiteral("new-key-file")};
        parsed = splitArgs(rest, required, {});
    } else if (command == QLatin1String("admin reset-password")) {
        required = {QStringLiteral("email")};
        parsed = splitArgs(rest, required, {});
    } else if (command == QLatin1String("admin demo")) {
        parsed = splitArgs(rest, {QStringLiteral("slug")}, {});
    } else if (command == QLatin1String("audit verify")) {
        parsed = splitArgs(rest, {}, {});
    } else {
        return usage(QStringLiteral("unknown command: %1").arg(command));
    }
    for (const QString &key : std::as_const(required)) {
        if (parsed.options.value(key).isEmpty())
            return usage(QStringLiteral("%1 needs --%2").arg(command, key));
    }

    Result<ServerConfig> config = ServerConfig::load(parsed.configArgs, QProcessEnvironment::systemEnvironment());
    if (!config.ok())
        return usage(config.error().message);
    // Quiet unless asked: the command's own output goes to stdout, logs to stderr.
    const bool levelGiven = std::any_of(parsed.configArgs.cbegin(), parsed.configArgs.cend(), [](const QString &a) {
        return a.startsWith(QLatin1String("--log-level")) || a.startsWith(QLatin1String("--log_level"));
    });
    atende::core::installLogHandler(
        atende::core::LogFormat::Text,
        atende::core::parseLogLevel(levelGiven ? config->logLevel : QStringLiteral("warning")));

    AdminDatabase database;
    if (Status st = database.open(config.value()); !st.ok()) {
        printErr(QStringLiteral("cannot open the database: %1").arg(st.error().message));
        return kExitFailed;
    }
    if (command == QLatin1String("admin create-tenant"))
        return createTenant(database.executor(), parsed);
    if (command == QLatin1String("admin create-user"))
        return createUser(database.executor(), parsed);
    if (command == QLatin1String("admin rotate-master-key"))
        return rotateMasterKey(database.executor(), config.value(), parsed);
    if (command == QLatin1String("admin reset-password"))
        return resetPassword(database.executor(), parsed);
    if (command == QLatin1String("admin demo"))
        return demo(database.executor(), parsed);
    return verifyAudit(database.executor());
}

} // namespace atende::server::core
