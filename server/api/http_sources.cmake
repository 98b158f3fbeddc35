# The HTTP/1.1 + WebSocket transport, included into atende_server_api by server/api/CMakeLists.txt.
# Paths are relative to this folder.
set(ATENDE_HTTP_SOURCES
  http_types.h
  http_parser.h http_parser.cpp
  http_connection.h http_connection.cpp
  http_server.h http_server.cpp)
