#include "server/api/permissions.h"

#include "server/api/operation.h"

#include <QHash>

namespace atende::server::api::perm {

namespace {

QSet<QString> setOf(std::initializer_list<const char *> names)
{
    QSet<QString> s;
    for (const char *n : names)
        s.insert(QString::fromLatin1(n));
    return s;
}

struct Catalogue {
    QStringList all;
    QHash<QString, QSet<QString>> roles;
    QStringList roleNames;
    QHash<QString, QSet<QString>> scopes;
    QStringList scopeNames;

    Catalogue()
    {
        for (const char *n : {kTenantRead, kTenantManage, kUsersRead, kUsersManage, kSectorsRead, kSectorsManage,
                              kApiTokensManage, kAuditRead, kTicketsRead, kTicketsWork, kTicketsSupervise,
                              kMessagesSend, kContactsRead, kContactsManage, kConnectionsRead, kConnectionsManage,
                              kQuickRepliesManage, kReportsRead, kJobsManage})
            all.append(QString::fromLatin1(n));

        const QSet<QString> agent = setOf({kSelf, kTenantRead, kUsersRead, kSectorsRead, kTicketsRead, kTicketsWork,
                                           kMessagesSend, kContactsRead, kContactsManage, kConnectionsRead});
        QSet<QString> supervisor = agent;
        supervisor.unite(setOf({kTicketsSupervise, kQuickRepliesManage, kReportsRead}));
        QSet<QString> admin = QSet<QString>(all.cbegin(), all.cend());
        admin.insert(QString::fromLatin1(kSelf));
        roles.insert(QStringLiteral("admin"), admin);
        roles.insert(QStringLiteral("supervisor"), supervisor);
        roles.insert(QStringLiteral("agent"), agent);
        roleNames = {QStringLiteral("admin"), QStringLiteral("supervisor"), QStringLiteral("agent")};

        scopes.insert(QStringLiteral("tickets:read"),
                      setOf({kTicketsRead, kContactsRead, kSectorsRead, kUsersRead, kTenantRead, kConnectionsRead}));
        scopes.insert(QStringLiteral("tickets:write"), setOf({kTicketsRead, kTicketsWork, kTicketsSupervise}));
        scopes.insert(QStringLiteral("messages:send"), setOf({kMessagesSend, kTicketsRead}));
        scopes.insert(QStringLiteral("contacts:read"), setOf({kContactsRead}));
        scopes.insert(QStringLiteral("contacts:write"), setOf({kContactsRead, kContactsManage}));
        scopes.insert(QStringLiteral("reports:read"), setOf({kReportsRead}));
        scopeNames = {QStringLiteral("tickets:read"),  QStringLiteral("tickets:write"),  QStringLiteral("messages:send"),
                      QStringLiteral("contacts:read"), QStringLiteral("contacts:write"), QStringLiteral("reports:read")};
    }
};

const Catalogue &catalogue()
{
    static const Catalogue c; // immutable after construction; thread-safe static init
    return c;
}

} // namespace

const QStringList &all()
{
    return catalogue().all;
}

bool isKnown(const QString &permission)
{
    return permission == QLatin1String(kPublic) || permission == QLatin1String(kSelf) ||
           catalogue().all.contains(permission);
}

const QSet<QString> &rolePermissions(const QString &role)
{
    static const QSet<QString> none;
    const auto &r = catalogue().roles;
    const auto it = r.constFind(role);
    return it == r.cend() ? none : *it;
}

const QStringList &roles()
{
    return catalogue().roleNames;
}

const QSet<QString> &scopePermissions(const QString &scope)
{
    static const QSet<QString> none;
    const auto &s = catalogue().scopes;
    const auto it = s.constFind(scope);
    return it == s.cend() ? none : *it;
}

const QStringList &scopes()
{
    return catalogue().scopeNames;
}

} // namespace atende::server::api::perm
