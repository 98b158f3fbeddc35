#pragma once
// Plain HTTP/1.1 request and response values used between the transport (HttpServer) and the router.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QUrlQuery>

namespace atende::server::api {

struct HttpRequest {
    QByteArray method; // "GET", "POST", ...
    QByteArray target; // raw request target, e.g. "/api/v1/ping?x=1"
    QByteArray path;   // percent-decoded path part of target
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, in arrival order
    QByteArray body;
    QHostAddress peer;
    bool secure = false;  // arrived over TLS
    int versionMinor = 1; // HTTP/1.x: 0 or 1

    QByteArray header(const QByteArray &lowerName) const
    {
        for (const auto &[k, v] : headers)
            if (k == lowerName)
                return v;
        return {};
    }
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers (e.g. Retry-After)

    static HttpResponse json(int status, QByteArray body)
    {
        HttpResponse r;
        r.status = status;
        r.body = std::move(body);
        return r;
    }
};

} // namespace atende::server::api
