#pragma once
// Append-only, per-tenant hash-chained audit log (ARCHITECTURE.md decision 5, issue 3 item 7).
//
// Each tenant's rows are numbered seq = 1, 2, 3...; row n stores prev_hash = hash of row n-1 (empty for
// seq 1) and hash = SHA-256(prev_hash || canonical JSON of the row's fields). The canonical JSON is a
// compact object with sorted keys (QJsonDocument's output): tenantId, seq, id, at (UTC, millisecond ISO
// 8601), actorUserId, action, objectType, objectId, before, after, ip; absent values are null. append()
// takes a transaction-scoped advisory lock on the tenant's chain, so concurrent appends queue up instead
// of forking the chain. The table's triggers reject UPDATE, DELETE and TRUNCATE; verify() catches what a
// superuser does with the triggers disabled.

#include "common/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QUuid>

#include <optional>

namespace atende::server::tenancy {

struct AuditEntry {
    QUuid actorUserId; // null: the system or an admin command
    QString action;    // "user.create", "login.failed", ...
    QString objectType;
    QString objectId;
    std::optional<QJsonObject> before;
    std::optional<QJsonObject> after;
    QString ip;
};

struct AuditRecord {
    QUuid tenantId;
    qint64 seq = 0;
    QUuid id;
    QDateTime at;
    QByteArray hash;
};

struct AuditVerification {
    bool intact = true;
    qint64 rows = 0;
    qint64 tenants = 0;
    // The first broken link when !intact.
    QUuid brokenTenant;
    qint64 brokenSeq = 0;
    QString reason;
};

class AuditLog {
public:
    // Appends one row to tenantId's chain. Must run inside a transaction (runTenant() or transaction()).
    static atende::core::Result<AuditRecord> append(QSqlDatabase &db, const QUuid &tenantId, const AuditEntry &entry);

    // Walks every tenant's chain in (tenant_id, seq) order. Needs a connection that sees all tenants (the
    // schema owner as superuser or with BYPASSRLS); as atende_app it only checks the bound tenant.
    static atende::core::Result<AuditVerification> verify(QSqlDatabase &db);

    // The bytes hashed after prev_hash; exposed for tests.
    static QByteArray canonicalJson(const QUuid &tenantId, qint64 seq, const QUuid &id, const QString &at,
                                    const AuditEntry &entry);
};

} // namespace atende::server::tenancy
