#include "server/api/http_parser.h"

#include "common/core/error.h"

#include <cstring>

namespace atende::server::api {

namespace errc = atende::core::errc;

namespace {

// tchar of RFC 9110 §5.6.2.
bool isTokenChar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

} // namespace

bool HttpParser::isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (const char c : s)
        if (!isTokenChar(static_cast<unsigned char>(c)))
            return false;
    return true;
}

// field-value: VCHAR, SP, HTAB and obs-text; every other control byte (NUL, CR, LF, DEL, ...) is refused.
bool HttpParser::isFieldValue(QByteArrayView s)
{
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\t')
            continue;
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

namespace {

// The request-target may only hold visible ASCII (RFC 9112 §3.2); '#' never reaches a server.
bool isTargetChars(QByteArrayView s)
{
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f || c == '#')
            return false;
    }
    return true;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isKnownMethod(QByteArrayView m)
{
    static constexpr const char *kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (const char *known : kMethods)
        if (m == QByteArrayView(known))
            return true;
    return false;
}

// Content-Length is 1*DIGIT; a list ("5, 5") is tolerated only when every element agrees (RFC 9110 §8.6).
// 18 digits keep the value far below qint64 overflow.
bool parseContentLength(QByteArrayView value, qint64 *out)
{
    qint64 result = -1;
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        const QByteArrayView element = value.sliced(start, comma - start).trimmed();
        if (element.isEmpty() || element.size() > 18)
            return false;
        qint64 n = 0;
        for (const char c : element) {
            if (c < '0' || c > '9')
                return false;
            n = n * 10 + (c - '0');
        }
        if (result >= 0 && n != result)
            return false;
        result = n;
        start = comma + 1;
    }
    *out = result;
    return result >= 0;
}

} // namespace

HttpParser::HttpParser(HttpParserLimits limits)
    : m_limits(limits)
{}

void HttpParser::feed(QByteArrayView bytes)
{
    if (m_phase == Phase::Failed || bytes.isEmpty())
        return;
    m_buffer.append(bytes.data(), bytes.size());
}

HttpParser::Status HttpParser::next()
{
    switch (m_phase) {
    case Phase::Failed: return Status::Error;
    case Phase::Done: return Status::Complete;
    case Phase::Head: {
        const Status s = scanHead();
        if (s != Status::Complete)
            return s;
        break; // head parsed, m_phase is Body now
    }
    case Phase::Body: break;
    }
    if (m_buffer.size() - m_bodyStart < m_bodyLength)
        return Status::NeedMore;
    m_request.body = m_buffer.mid(m_bodyStart, m_bodyLength);
    m_phase = Phase::Done;
    return Status::Complete;
}

HttpRequest HttpParser::takeRequest()
{
    if (m_phase != Phase::Done)
        return {};
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    m_base = m_bodyStart + m_bodyLength;
    if (m_base == m_buffer.size()) {
        // An idle keep-alive connection should not pin the capacity of its last large body.
        if (m_buffer.capacity() > 64 * 1024)
            m_buffer = QByteArray();
        else
            m_buffer.clear();
        m_base = 0;
    } else if (m_base >= 4096 && m_base * 2 >= m_buffer.size()) {
        // Consumed bytes are dropped only once they are the larger part: removing them after every
        // request would make a long pipeline quadratic.
        m_buffer.remove(0, m_base);
        m_base = 0;
    }
    m_phase = Phase::Head;
    m_lineStart = m_requestStart = m_bodyStart = m_base;
    m_bodyLength = 0;
    m_expectContinue = false;
    return request;
}

// Looks for the blank line ending the head, resuming at the first unterminated line so trickled input
// is scanned once. Complete means the head was found and parsed.
HttpParser::Status HttpParser::scanHead()
{
    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    while (m_lineStart < size) {
        const void *nl = std::memchr(data + m_lineStart, '\n', size_t(size - m_lineStart));
        if (!nl)
            break;
        const qsizetype lf = static_cast<const char *>(nl) - data;
        if (lf + 1 - m_base > m_limits.maxHeaderBytes)
            return fail(431, errc::kPayloadTooLarge, "headers_too_large", "Request headers are too large");
        if (lf == m_lineStart || data[lf - 1] != '\r')
            return fail(400, errc::kMalformedRequest, "bare_lf", "Header lines must end with CRLF");
        const bool emptyLine = lf - 1 == m_lineStart;
        const qsizetype lineStart = m_lineStart;
        m_lineStart = lf + 1;
        if (!emptyLine)
            continue;
        if (lineStart == m_requestStart) {
            // RFC 9112 §2.2: ignore empty lines before the request line (some clients send a CRLF
            // after a POST body).
            m_requestStart = m_lineStart;
            continue;
        }
        const Status s = parseHead(QByteArrayView(data + m_requestStart, lineStart - m_requestStart));
        if (s != Status::Complete)
            return s;
        m_bodyStart = m_lineStart;
        m_phase = Phase::Body;
        return Status::Complete;
    }
    if (size - m_base > m_limits.maxHeaderBytes)
        return fail(431, errc::kPayloadTooLarge, "headers_too_large", "Request headers are too large");
    return Status::NeedMore;
}

// head: the request line and header lines, each ending in CRLF (already verified by scanHead).
HttpParser::Status HttpParser::parseHead(QByteArrayView head)
{
    qsizetype pos = 0;
    bool first = true;
    int count = 0;
    while (pos < head.size()) {
        const qsizetype lf = head.indexOf('\n', pos);
        const QByteArrayView line = head.sliced(pos, lf - 1 - pos); // without CRLF
        pos = lf + 1;
        if (first) {
            first = false;
            if (!parseRequestLine(line))
                return Status::Error;
            continue;
        }
        if (++count > m_limits.maxHeaderCount)
            return fail(431, errc::kPayloadTooLarge, "too_many_headers", "Too many request headers");
        if (!parseHeaderLine(line))
            return Status::Error;
    }
    if (!checkFraming())
        return Status::Error;
    return Status::Complete;
}

bool HttpParser::parseRequestLine(QByteArrayView line)
{
    // method SP request-target SP HTTP-version, with exactly one space each (RFC 9112 §3).
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
        fail(400, errc::kMalformedRequest, "bad_request_line", "Malformed request line");
        return false;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);

    if (!isToken(method)) {
        fail(400, errc::kMalformedRequest, "bad_method", "Malformed request method");
        return false;
    }
    if (version == QByteArrayView("HTTP/1.1")) {
        m_request.versionMinor = 1;
    } else if (version == QByteArrayView("HTTP/1.0")) {
        m_request.versionMinor = 0;
    } else if (version.size() == 8 && version.startsWith("HTTP/") && version[5] >= '0' && version[5] <= '9' &&
               version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
        fail(505, errc::kMalformedRequest, "unsupported_version", "Only HTTP/1.0 and HTTP/1.1 are supported");
        return false;
    } else {
        fail(400, errc::kMalformedRequest, "bad_version", "Malformed HTTP version");
        return false;
    }
    if (!isKnownMethod(method)) {
        fail(501, errc::kMethodNotAllowed, "method_not_implemented", "Request method not implemented");
        return false;
    }
    m_request.method = method.toByteArray();
    return parseTarget(target);
}

bool HttpParser::parseTarget(QByteArrayView target)
{
    if (target.isEmpty() || !isTargetChars(target)) {
        fail(400, errc::kMalformedRequest, "bad_target", "Malformed request target");
        return false;
    }
    m_request.target = target.toByteArray();
    QByteArrayView pathAndQuery;
    if (target == QByteArrayView("*")) {
        // asterisk-form exists only for a server-wide OPTIONS (RFC 9112 §3.2.4).
        if (m_request.method != "OPTIONS") {
            fail(400, errc::kMalformedRequest, "bad_target", "Malformed request target");
            return false;
        }
        m_request.path = "*";
        return true;
    }
    if (target.startsWith('/')) {
        pathAndQuery = target;
    } else {
        // absolute-form, which servers must accept (RFC 9112 §3.2.2); only the path and query matter here.
        const qsizetype schemeEnd = target.indexOf("://");
        const QByteArrayView scheme = schemeEnd < 0 ? QByteArrayView() : target.first(schemeEnd);
        if (scheme.compare("http", Qt::CaseInsensitive) != 0 && scheme.compare("https", Qt::CaseInsensitive) != 0) {
            fail(400, errc::kMalformedRequest, "bad_target", "Malformed request target");
            return false;
        }
        const QByteArrayView rest = target.sliced(schemeEnd + 3);
        qsizetype authorityEnd = 0;
        while (authorityEnd < rest.size() && rest[authorityEnd] != '/' && rest[authorityEnd] != '?')
            ++authorityEnd;
        if (authorityEnd == 0) {
            fail(400, errc::kMalformedRequest, "bad_target", "Malformed request target");
            return false;
        }
        pathAndQuery = rest.sliced(authorityEnd);
    }
    const qsizetype q = pathAndQuery.indexOf('?');
    QByteArrayView rawPath = q < 0 ? pathAndQuery : pathAndQuery.first(q);
    if (rawPath.isEmpty())
        rawPath = "/";
    if (!percentDecode(rawPath, &m_request.path)) {
        fail(400, errc::kMalformedRequest, "bad_target", "Malformed percent-encoding in path");
        return false;
    }
    if (q >= 0)
        m_request.query.setQuery(QString::fromLatin1(pathAndQuery.sliced(q + 1)));
    return true;
}

bool HttpParser::parseHeaderLine(QByteArrayView line)
{
    // obs-fold (a continuation line) is refused: RFC 9112 §5.2 allows 400 and it is a smuggling vector.
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, errc::kMalformedRequest, "bad_header", "Malformed header line");
        return false;
    }
    const QByteArrayView rawValue = line.sliced(colon + 1);
    if (!isFieldValue(rawValue)) {
        fail(400, errc::kMalformedRequest, "bad_header", "Invalid character in header value");
        return false;
    }
    m_request.headers.append({line.first(colon).toByteArray().toLower(), rawValue.trimmed().toByteArray()});
    return true;
}

// Decides how the body is delimited (RFC 9112 §6.3) and checks the headers HTTP/1.1 requires.
bool HttpParser::checkFraming()
{
    int hosts = 0;
    bool hasTransferEncoding = false;
    bool chunked = false;
    bool hasLength = false;
    qint64 length = 0;
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (name == "host") {
            ++hosts;
        } else if (name == "transfer-encoding") {
            hasTransferEncoding = true;
            chunked = chunked || hasToken(value, "chunked");
        } else if (name == "content-length") {
            qint64 n = 0;
            if (!parseContentLength(value, &n) || (hasLength && n != length)) {
                fail(400, errc::kMalformedRequest, "bad_content_length", "Invalid Content-Length");
                return false;
            }
            hasLength = true;
            length = n;
        } else if (name == "expect") {
            m_expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
    }
    if (hosts > 1 || (hosts == 0 && m_request.versionMinor == 1)) {
        fail(400, errc::kMalformedRequest, "bad_host", "HTTP/1.1 requires exactly one Host header");
        return false;
    }
    // Checked before Content-Length: with both present, Transfer-Encoding would win (RFC 9112 §6.3),
    // and we do not decode chunked bodies.
    if (hasTransferEncoding) {
        if (chunked)
            fail(411, errc::kMalformedRequest, "length_required",
                 "Chunked bodies are not accepted; send Content-Length");
        else
            fail(501, errc::kMalformedRequest, "unsupported_transfer_encoding", "Transfer-Encoding not implemented");
        return false;
    }
    if (length > m_limits.maxBodyBytes) {
        fail(413, errc::kPayloadTooLarge, "body_too_large", "Request body is too large");
        return false;
    }
    m_bodyLength = length;
    m_expectContinue = m_expectContinue && length > 0 && m_request.versionMinor == 1;
    return true;
}

HttpParser::Status HttpParser::fail(int status, const char *code, const char *reason, const char *message)
{
    m_phase = Phase::Failed;
    m_error = HttpParseError{status, code, QByteArray(reason), QString::fromLatin1(message)};
    m_buffer = QByteArray(); // nothing after an error is ever parsed
    m_base = 0;
    return Status::Error;
}

bool HttpParser::wantsKeepAlive(const HttpRequest &request)
{
    const QByteArray connection = request.header("connection");
    if (request.versionMinor >= 1)
        return !hasToken(connection, "close");
    return hasToken(connection, "keep-alive");
}

bool HttpParser::isWebSocketUpgrade(const HttpRequest &request)
{
    return request.method == "GET" && hasToken(request.header("upgrade"), "websocket");
}

bool HttpParser::hasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        if (value.sliced(start, comma - start).trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = comma + 1;
    }
    return false;
}

bool HttpParser::percentDecode(QByteArrayView in, QByteArray *out)
{
    out->clear();
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out->append(in[i]);
            continue;
        }
        if (i + 2 >= in.size())
            return false;
        const int hi = hexValue(in[i + 1]);
        const int lo = hexValue(in[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return false;
        out->append(char(hi * 16 + lo));
        i += 2;
    }
    return true;
}

} // namespace atende::server::api
