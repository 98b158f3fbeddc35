#include "server/desk/contact_repository.h"

#include "server/accounts/sql_values.h"
#include "server/db/sql_util.h"
#include "server/desk/identity_repository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace atende::server::desk {

namespace sql = atende::server::accounts::sql;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

// How far merged_into is followed; merges move identities, so chains stay short in practice.
constexpr int kMaxMergeHops = 16;

const QString kSelect = QStringLiteral("SELECT c.id, c.name, c.phone, c.email, c.notes, array_to_json(c.tags)::text, "
                                       "c.custom_fields::text, c.merged_into, c.created_at, c.updated_at, "
                                       "lower(c.name) FROM contacts c");

QJsonDocument parseJson(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8());
}

ContactRecord readContact(const QSqlQuery &q)
{
    ContactRecord c;
    c.id = QUuid::fromString(q.value(0).toString());
    c.name = q.value(1).toString();
    c.phone = q.value(2).toString();
    c.email = q.value(3).toString();
    c.notes = q.value(4).toString();
    for (const QJsonValue &t : parseJson(q.value(5)).array())
        c.tags.append(t.toString());
    const QJsonObject fields = parseJson(q.value(6)).object();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        c.customFields.insert(it.key(), it.value().toString());
    c.mergedInto = QUuid::fromString(q.value(7).toString());
    c.createdAt = q.value(8).toDateTime().toUTC();
    c.updatedAt = q.value(9).toDateTime().toUTC();
    return c;
}

QString tagsJson(const QStringList &tags)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tags)).toJson(QJsonDocument::Compact));
}

QString fieldsJson(const QMap<QString, QString> &fields)
{
    QJsonObject o;
    for (auto it = fields.begin(); it != fields.end(); ++it)
        o.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A null QString binds as SQL NULL; the NOT NULL text columns want ''.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

Error noSuchContact()
{
    return Error::make(atende::core::errc::kNotFound, QStringLiteral("no such contact"));
}

// Digits of a search text that looks like a phone number ("+55 (11) 9876-5432"), else empty.
QString phoneDigits(const QString &search)
{
    QString digits;
    for (const QChar c : search) {
        if (c.isDigit())
            digits.append(c);
        else if (!QStringLiteral("+ -().").contains(c))
            return {};
    }
    return digits;
}

} // namespace

Result<int> moveTicketsOnMerge(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sourceId, const QUuid &targetId)
{
    // The target keeps its active ticket on a connection where both contacts have one (one active ticket per
    // contact and connection, N3): the source's is closed first, with a ticket event naming the merge, so the
    // move below cannot collide and the closed ticket stays in the target's history.
    const QString t = sql::text(tenantId), src = sql::text(sourceId), dst = sql::text(targetId);
    db::Query close(
        db,
        QStringLiteral(
            "WITH closed AS ("
            "  UPDATE tickets s SET state = 'closed', closed_at = clock_timestamp(), updated_at = clock_timestamp(), "
            "    last_activity_at = clock_timestamp() "
            "  WHERE s.tenant_id = ?::uuid AND s.contact_id = ?::uuid AND s.state <> 'closed' AND EXISTS ("
            "    SELECT 1 FROM tickets d WHERE d.tenant_id = s.tenant_id AND d.contact_id = ?::uuid "
            "      AND d.connection_id = s.connection_id AND d.state <> 'closed') "
            "  RETURNING s.id, s.cycle, (SELECT state FROM tickets o WHERE o.tenant_id = s.tenant_id AND o.id = s.id) "
            "    AS before) "
            "INSERT INTO ticket_events (tenant_id, ticket_id, cycle, kind, from_state, to_state, reason, data) "
            "SELECT ?::uuid, id, cycle, 'closed', before, 'closed', 'contact_merged', "
            "  jsonb_build_object('merged_into', ?::text) FROM closed"));
    for (const QString &v : {t, src, dst, t, dst})
        close.addBindValue(v);
    if (Status st = db::exec(close); !st.ok())
        return st.error();
    int moved = 0;
    for (const char *table : {"tickets", "messages"}) {
        db::Query q(
            db, QStringLiteral("UPDATE %1 SET contact_id = ?::uuid WHERE tenant_id = ?::uuid AND contact_id = ?::uuid")
                    .arg(QLatin1String(table)));
        q.addBindValue(dst);
        q.addBindValue(t);
        q.addBindValue(src);
        if (Status st = db::exec(q); !st.ok())
            return st.error();
        if (qstrcmp(table, "tickets") == 0)
            moved = q.numRowsAffected();
    }
    return moved;
}

QString encodeCursor(const ContactCursor &cursor)
{
    const QJsonObject o{{QStringLiteral("n"), cursor.lowerName}, {QStringLiteral("i"), sql::text(cursor.id)}};
    return QString::fromLatin1(QJsonDocument(o)
                                   .toJson(QJsonDocument::Compact)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<ContactCursor> decodeCursor(const QString &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding |
                                                                             QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(*decoded).object();
    ContactCursor c{o.value(QStringLiteral("n")).toString(),
                    QUuid::fromString(o.value(QStringLiteral("i")).toString())};
    if (c.id.isNull() || !o.value(QStringLiteral("n")).isString())
        return std::nullopt;
    return c;
}

Result<ContactPage> ContactRepository::list(QSqlDatabase &db, const QUuid &tenantId, const ContactFilter &filter)
{
    QString where = QStringLiteral(" WHERE c.tenant_id = ?::uuid AND c.merged_into IS NULL");
    QVariantList binds{sql::text(tenantId)};
    if (!filter.search.isEmpty()) {
        const QString digits = phoneDigits(filter.search);
        where += QStringLiteral(" AND (c.name ILIKE ? ESCAPE '\\' OR c.email ILIKE ? ESCAPE '\\'") +
                 (digits.isEmpty() ? QString() : QStringLiteral(" OR c.phone LIKE ?")) + QStringLiteral(")");
        binds << sql::containsPattern(filter.search) << sql::containsPattern(filter.search);
        if (!digits.isEmpty())
            binds << digits + QLatin1Char('%'); // digits only: nothing to escape
    }
    if (!filter.tag.isEmpty()) {
        where += QStringLiteral(" AND c.tags @> ARRAY[?::text]");
        binds << filter.tag;
    }
    if (filter.after) {
        where += QStringLiteral(" AND (lower(c.name), c.id) > (?, ?::uuid)");
        binds << filter.after->lowerName << sql::text(filter.after->id);
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(kSelect + where + QStringLiteral(" ORDER BY lower(c.name), c.id LIMIT ?"));
    for (const QVariant &b : binds)
        q.addBindValue(b);
    q.addBindValue(filter.limit + 1);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    ContactPage page;
    QString lastLower;
    while (q.next()) {
        if (page.contacts.size() == filter.limit) {
            page.next = ContactCursor{lastLower, page.contacts.last().id};
            break;
        }
        page.contacts.append(readContact(q));
        lastLower = q.value(10).toString();
    }
    return page;
}

Result<ContactRecord> ContactRepository::find(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId,
                                              bool forUpdate)
{
    db::Query q(db, kSelect + QStringLiteral(" WHERE c.tenant_id = ?::uuid AND c.id = ?::uuid") +
                        (forUpdate ? QStringLiteral(" FOR UPDATE") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contactId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return noSuchContact();
    ContactRecord c = readContact(q);
    Result<QList<IdentityRecord>> ids = IdentityRepository::ofContact(db, tenantId, contactId);
    if (!ids.ok())
        return ids.error();
    c.identities = ids.value();
    return c;
}

Result<QUuid> ContactRepository::insert(QSqlDatabase &db, const QUuid &tenantId, const ContactRecord &contact)
{
    db::Query q(db, QStringLiteral("INSERT INTO contacts (tenant_id, name, phone, email, notes, tags, custom_fields) "
                                   "VALUES (?::uuid, ?, ?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), "
                                   "?::jsonb) RETURNING id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(notNull(contact.name));
    q.addBindValue(sql::nullable(contact.phone));
    q.addBindValue(sql::nullable(contact.email));
    q.addBindValue(notNull(contact.notes));
    q.addBindValue(tagsJson(contact.tags));
    q.addBindValue(fieldsJson(contact.customFields));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("contact insert returned nothing"));
    return QUuid::fromString(q.value(0).toString());
}

Status ContactRepository::update(QSqlDatabase &db, const QUuid &tenantId, const ContactRecord &contact)
{
    db::Query q(db,
                QStringLiteral("UPDATE contacts SET name = ?, phone = ?, email = ?, notes = ?, "
                               "tags = ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), custom_fields = ?::jsonb, "
                               "updated_at = now() WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(notNull(contact.name));
    q.addBindValue(sql::nullable(contact.phone));
    q.addBindValue(sql::nullable(contact.email));
    q.addBindValue(notNull(contact.notes));
    q.addBindValue(tagsJson(contact.tags));
    q.addBindValue(fieldsJson(contact.customFields));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(contact.id));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchContact());
}

Status ContactRepository::markMerged(QSqlDatabase &db, const QUuid &tenantId, const QUuid &sourceId,
                                     const QUuid &targetId)
{
    db::Query q(db, QStringLiteral("UPDATE contacts SET merged_into = ?::uuid, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    q.addBindValue(sql::text(targetId));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(sourceId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(noSuchContact());
}

Result<QUuid> ContactRepository::resolve(QSqlDatabase &db, const QUuid &tenantId, const QUuid &contactId)
{
    QUuid id = contactId;
    db::Query q(db, QStringLiteral("SELECT merged_into FROM contacts WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    for (int hop = 0; hop < kMaxMergeHops; ++hop) {
        q.bindValue(0, sql::text(tenantId));
        q.bindValue(1, sql::text(id));
        if (Status s = db::exec(q); !s.ok())
            return s.error();
        if (!q.next())
            return noSuchContact();
        const QUuid next = QUuid::fromString(q.value(0).toString());
        if (next.isNull())
            return id;
        id = next;
    }
    return Error::make(atende::core::errc::kInternal, QStringLiteral("merge chain too long"));
}

} // namespace atende::server::desk
