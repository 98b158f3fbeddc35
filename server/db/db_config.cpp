#include "server/db/db_config.h"

#include <QUrl>
#include <QUrlQuery>

namespace atende::server::db {

atende::core::Result<DbConfig> DbConfig::fromUrl(const QString &url)
{
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || (u.scheme() != QLatin1String("postgresql") && u.scheme() != QLatin1String("postgres")))
        return atende::core::Error::make(
            atende::core::errc::kInvalidArgument,
            QStringLiteral("database URL must look like postgresql://user:pass@host:port/db"));
    DbConfig c;
    c.host = u.host();
    c.port = u.port(5432);
    c.user = u.userName(QUrl::FullyDecoded);
    c.password = u.password(QUrl::FullyDecoded);
    c.database = u.path().mid(1);
    QStringList opts;
    const QUrlQuery q(u);
    for (const auto &[key, value] : q.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host"))
            c.host = value;
        else
            opts << key + QLatin1Char('=') + value;
    }
    c.options = opts.join(QLatin1Char(';'));
    if (c.host.isEmpty())
        c.host = QStringLiteral("localhost");
    if (c.database.isEmpty())
        c.database = c.user.isEmpty() ? QStringLiteral("postgres") : c.user;
    return c;
}

QString DbConfig::redacted() const
{
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host, QString::number(port), database);
}

} // namespace atende::server::db
