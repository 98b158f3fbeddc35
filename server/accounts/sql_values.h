#pragma once
// Value conversions shared by the accounts repositories.

#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <algorithm>

namespace atende::server::accounts::sql {

inline QString text(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// NULL for an empty string.
inline QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// "%<search>%" for ILIKE ... ESCAPE '\': the user's %, _ and \ match themselves.
inline QString containsPattern(const QString &search)
{
    QString escaped;
    escaped.reserve(search.size() + 8);
    for (const QChar c : search) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped.append(QLatin1Char('\\'));
        escaped.append(c);
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

// The output of string_agg(uuid::text, ','), sorted.
inline QList<QUuid> uuidList(const QVariant &v)
{
    QList<QUuid> out;
    const QString s = v.toString();
    if (s.isEmpty())
        return out;
    for (const QString &part : s.split(QLatin1Char(',')))
        out.append(QUuid::fromString(part));
    std::sort(out.begin(), out.end(), [](const QUuid &a, const QUuid &b) { return text(a) < text(b); });
    return out;
}

// A uuid[] literal for "= ANY(?::uuid[])"; the ids are already parsed, so no quoting is needed.
inline QString uuidArray(const QList<QUuid> &ids)
{
    QStringList parts;
    for (const QUuid &id : ids)
        parts.append(text(id));
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

} // namespace atende::server::accounts::sql
