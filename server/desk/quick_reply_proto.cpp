#include "server/desk/quick_reply_proto.h"

namespace atende::server::desk {

namespace {

std::string idText(const QUuid &id)
{
    return id.isNull() ? std::string() : id.toString(QUuid::WithoutBraces).toStdString();
}

std::string timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

} // namespace

atende::api::v1::QuickReply toProto(const QuickReplyRecord &reply)
{
    atende::api::v1::QuickReply r;
    r.set_id(idText(reply.id));
    r.set_scope(reply.scope.toStdString());
    r.set_sector_id(idText(reply.sectorId));
    r.set_owner_id(idText(reply.ownerId));
    r.set_shortcut(reply.shortcut.toStdString());
    r.set_title(reply.title.toStdString());
    r.set_body(reply.body.toStdString());
    r.set_created_at(timeText(reply.createdAt));
    r.set_updated_at(timeText(reply.updatedAt));
    return r;
}

QJsonObject auditJson(const QuickReplyRecord &reply)
{
    return QJsonObject{{QStringLiteral("scope"), reply.scope},
                       {QStringLiteral("sectorId"), QString::fromStdString(idText(reply.sectorId))},
                       {QStringLiteral("ownerId"), QString::fromStdString(idText(reply.ownerId))},
                       {QStringLiteral("shortcut"), reply.shortcut},
                       {QStringLiteral("title"), reply.title},
                       {QStringLiteral("body"), reply.body}};
}

atende::api::v1::Event quickReplyChangedEvent(const QuickReplyRecord &reply, bool deleted)
{
    atende::api::v1::Event e;
    atende::api::v1::QuickReplyChanged *c = e.mutable_quick_reply_changed();
    *c->mutable_quick_reply() = toProto(reply);
    c->set_deleted(deleted);
    return e;
}

} // namespace atende::server::desk
