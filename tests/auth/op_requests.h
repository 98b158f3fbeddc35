#pragma once
// Builds a REST request for any operation of the table from its protobuf descriptor, so tests can walk
// every operation (isolation matrix, hostile input) without knowing them by name. A ValueFor callback
// decides each field's value; std::nullopt falls back to a plausible filler chosen by the field's name
// (email, password, role, color, time zone, ...).

#include "server/api/operation.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <functional>
#include <optional>

namespace google::protobuf {
class FieldDescriptor;
}

namespace atende::test {

struct OpRequest {
    QByteArray method;
    QByteArray path; // with path parameters substituted and, for GET/DELETE, the query string
    QByteArray body; // JSON, empty for GET/DELETE
};

using ValueFor = std::function<std::optional<QJsonValue>(const google::protobuf::FieldDescriptor *)>;

// Fields that name an object: "id", "*_id" (string) and "*_ids" (repeated string).
bool isIdField(const google::protobuf::FieldDescriptor *field);
// Free-text fields used to look things up: search, query, q, email.
bool isSearchField(const google::protobuf::FieldDescriptor *field);
bool isStringField(const google::protobuf::FieldDescriptor *field);

QJsonValue fillerFor(const google::protobuf::FieldDescriptor *field);
// The path parameters ({name}) of an operation's path.
QStringList pathParameters(const server::api::Operation &op);
OpRequest buildRequest(const server::api::Operation &op, const ValueFor &valueFor);

} // namespace atende::test
