#pragma once
// Protobuf canonical JSON in and out of the API, with errors the client can act on.

#include "common/core/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QUrlQuery>

#include <google/protobuf/message.h>

namespace atende::server::api {

// Parses canonical JSON into `message`. Unknown fields are an error ("unknown_field"), malformed JSON is
// "malformed_json", a value of the wrong type "invalid_argument"; details.reason carries protobuf's text.
atende::core::Status parseJson(const QByteArray &json, google::protobuf::Message *message);

// Canonical JSON with lowerCamelCase names and default values printed (stable shapes for clients).
QByteArray toJson(const google::protobuf::Message &message);

// Sets request fields from path parameters and query items ("ticketId" or "ticket_id"), converting the
// text to the field's type. Only singular scalar, enum and string fields (and repeated ones for queries).
atende::core::Status bindParameters(const QMap<QString, QString> &params, google::protobuf::Message *message);
atende::core::Status bindQuery(const QUrlQuery &query, google::protobuf::Message *message);

// {"code":..., "message":..., "details":{...}}
QByteArray errorJson(const atende::core::Error &error);

} // namespace atende::server::api
