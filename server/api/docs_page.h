#pragma once
#include <QByteArray>

namespace atende::server::api {
// A self-contained HTML page that renders /docs/json (no external scripts: servers here are often offline).
QByteArray docsPageHtml();
} // namespace atende::server::api
