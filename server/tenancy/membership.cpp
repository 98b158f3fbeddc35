#include "server/tenancy/membership.h"

#include "server/db/sql_util.h"

#include <QSqlQuery>

namespace atende::server::tenancy {

atende::core::Result<QSet<QUuid>> sectorIdsOf(QSqlDatabase &db, const QUuid &tenantId, const QUuid &userId)
{
    db::Query q(db, QStringLiteral("SELECT sector_id FROM user_sectors WHERE tenant_id = ? AND user_id = ?"));
    q.addBindValue(tenantId.toString(QUuid::WithoutBraces));
    q.addBindValue(userId.toString(QUuid::WithoutBraces));
    if (atende::core::Status st = db::exec(q); !st.ok())
        return st.error();
    QSet<QUuid> out;
    while (q.next())
        out.insert(QUuid::fromString(q.value(0).toString()));
    return out;
}

} // namespace atende::server::tenancy
