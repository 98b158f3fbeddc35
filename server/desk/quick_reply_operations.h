#pragma once
// quick_replies.* operations (issue 4 item 5).

#include "server/api/operation.h"
#include "server/desk/quick_replies_service.h"

#include <QPointer>

namespace atende::server::desk {

void addQuickReplyOperations(api::OperationTable &table, const QPointer<QuickRepliesService> &svc);

} // namespace atende::server::desk
