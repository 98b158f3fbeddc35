#pragma once
// Checks every request passes before its handler runs, whatever the transport: no string field may hold a
// NUL character (PostgreSQL text cannot store it, and no legitimate client sends one).

#include "common/core/result.h"

#include <google/protobuf/message.h>

namespace atende::server::api {

// invalid_argument with details.field naming the first offending field.
atende::core::Status checkRequestText(const google::protobuf::Message &message);

} // namespace atende::server::api
