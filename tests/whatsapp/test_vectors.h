#pragma once
// Access to shared/whatsapp/test-vectors.json (PROTOCOL.md §15), which lives beside the repository. The
// path is baked in at configure time (ATENDE_WA_TEST_VECTORS); a missing or unreadable file fails every
// test that asks for a vector, naming the path.

#include "ordered_json.h"
#include "server/whatsapp/node.h"

#include <QByteArray>
#include <QString>

namespace atende::server::whatsapp::test {

QString vectorsPath();
// The parsed file, or nullptr (after recording a test failure) when it cannot be read.
const OrderedJson *vectors();
// The JSON value at a path like {"noise", "h_final"}; records a failure and returns nullptr if absent.
const OrderedJson *vector(std::initializer_list<const char *> path);
// A hex-string vector as bytes; empty (with a recorded failure) if absent.
QByteArray vectorHex(std::initializer_list<const char *> path);
QString vectorString(std::initializer_list<const char *> path);

// A node as the vectors describe it: {"tag", "attrs": {...}, "content": [...] | {"bytes_hex"} | "text"}.
// Attribute values containing '@' become JIDs (the vectors' own convention); text content becomes bytes.
Node nodeFromJson(const OrderedJson &json);

} // namespace atende::server::whatsapp::test
