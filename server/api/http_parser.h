#pragma once
// Incremental HTTP/1.1 request parser with no socket dependency.
//
// feed() appends whatever bytes arrived; next() reports NeedMore, Complete (takeRequest() hands the
// request over and the parser moves on to the next, pipelined, request) or Error (error() carries the
// HTTP status and a stable error code; the parser then stays in Error and ignores further input).
//
// It is written for hostile input (a fuzz target drives it): every byte is checked against the
// RFC 9110/9112 grammar, lines must end in CRLF (a bare CR or LF is an error, because lenient parsing
// is how request smuggling between proxies and servers starts), and the work per fed byte is constant
// (the search for the end of the head resumes where it stopped).
//
// Statuses: 400 malformed request line / header / target / Content-Length / Host, 411 a body without
// Content-Length (Transfer-Encoding: chunked), 413 Content-Length over the body limit, 431 request line +
// headers over the header limit (or too many headers), 501 an unknown method or transfer coding,
// 505 an HTTP version other than 1.0 / 1.1.

#include "server/api/http_types.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace atende::server::api {

struct HttpParserLimits {
    qint64 maxHeaderBytes = 16 * 1024; // request line + header lines, CRLFs included
    qint64 maxBodyBytes = 1024 * 1024;
    int maxHeaderCount = 100;
};

struct HttpParseError {
    int status = 0;             // 400, 411, 413, 431, 501 or 505
    const char *code = nullptr; // stable API error code from common/core/error.h
    QByteArray reason;          // finer machine-readable cause, sent as details.reason
    QString message;            // human-readable, safe to send to the client
};

class HttpParser {
public:
    enum class Status { NeedMore, Complete, Error };

    explicit HttpParser(HttpParserLimits limits = {});

    void feed(QByteArrayView bytes);
    Status next();
    // Valid after next() returned Complete; resets the parser for the following request.
    HttpRequest takeRequest();

    const HttpParseError &error() const { return m_error; }
    // True when not a single byte of a next request is buffered (a request boundary).
    bool isIdle() const { return m_phase == Phase::Head && m_buffer.size() == m_base; }
    // The head of the current request is parsed and its body is still arriving.
    bool awaitingBody() const { return m_phase == Phase::Body; }
    // The current request carries "Expect: 100-continue" and a body.
    bool expectsContinue() const { return m_expectContinue; }
    qint64 bufferedBytes() const { return m_buffer.size() - m_base; }

    // Keep-alive is the default for HTTP/1.1 unless "Connection: close"; HTTP/1.0 needs "keep-alive".
    static bool wantsKeepAlive(const HttpRequest &request);
    // GET with an "Upgrade: websocket" token. The handshake itself is validated by QWebSocketServer.
    static bool isWebSocketUpgrade(const HttpRequest &request);
    // Whether a comma-separated header value contains token (case-insensitive, OWS trimmed).
    static bool hasToken(QByteArrayView value, QByteArrayView token);
    // RFC 9110 token (header names, methods) and field-value (no control bytes but HTAB).
    static bool isToken(QByteArrayView s);
    static bool isFieldValue(QByteArrayView s);
    // Strict percent-decoding: a malformed escape or an encoded NUL gives false.
    static bool percentDecode(QByteArrayView in, QByteArray *out);

private:
    enum class Phase { Head, Body, Done, Failed };

    Status scanHead();
    Status parseHead(QByteArrayView head);
    bool parseRequestLine(QByteArrayView line);
    bool parseTarget(QByteArrayView target);
    bool parseHeaderLine(QByteArrayView line);
    bool checkFraming();
    Status fail(int status, const char *code, const char *reason, const char *message);

    HttpParserLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_base = 0; // first byte of the current request; before it: consumed requests
    Phase m_phase = Phase::Head;
    qsizetype m_lineStart = 0;    // start of the head line not yet terminated
    qsizetype m_requestStart = 0; // first byte of the request line (after ignored leading CRLFs)
    qsizetype m_bodyStart = 0;
    qint64 m_bodyLength = 0;
    bool m_expectContinue = false;
    HttpRequest m_request;
    HttpParseError m_error;
};

} // namespace atende::server::api
