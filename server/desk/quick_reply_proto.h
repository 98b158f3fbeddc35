#pragma once
// Quick replies <-> protobuf, their audit JSON and their event.

#include "server/desk/quick_reply_repository.h"

#include "atende/api/v1/quick_replies.pb.h"
#include "atende/api/v1/sync.pb.h"

#include <QJsonObject>

namespace atende::server::desk {

atende::api::v1::QuickReply toProto(const QuickReplyRecord &reply);
QJsonObject auditJson(const QuickReplyRecord &reply);
atende::api::v1::Event quickReplyChangedEvent(const QuickReplyRecord &reply, bool deleted);

} // namespace atende::server::desk
