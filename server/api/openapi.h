#pragma once
// The OpenAPI 3.0 document, generated from the operation table and the protobuf descriptors (never
// written by hand): paths from each operation's method + path, schemas from the messages, following
// protobuf's canonical JSON mapping (int64 as strings, enums as names, lowerCamelCase names).

#include "server/api/operation.h"

namespace atende::server::api {

QByteArray buildOpenApi(const OperationTable &table, const QString &version);

} // namespace atende::server::api
