#pragma once
// Who a bearer token names, as the API layer sees it. The accounts module turns an access JWT or an API
// token into a Principal (Authenticator); the Dispatcher then decides with the operation's permission.

#include "common/core/result.h"

#include <QDateTime>
#include <QSet>
#include <QString>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <functional>

namespace atende::server::api {

struct Principal {
    QUuid tenantId;
    QUuid userId;       // for an API token: the admin who created it
    QString role;       // empty for API tokens
    QUuid apiTokenId;   // null for users
    QSet<QString> permissions;
    QDateTime expiresAt; // when the credential stops working (null: no fixed end)
};

// Verifies a bearer token. Errors: unauthenticated (any bad, expired or revoked token), unavailable.
using Authenticator = std::function<QCoro::Task<atende::core::Result<Principal>>(QString token)>;

} // namespace atende::server::api
