#pragma once
// Maps HTTP requests onto the operation table (canonical JSON in and out) and serves the operational
// endpoints: /healthz, /readyz, /metrics, /docs, /docs/json.

#include "server/api/dispatcher.h"
#include "server/api/http_server.h"

#include <QObject>
#include <QPointer>

namespace atende::server::api {

class RestRouter : public QObject {
    Q_OBJECT
public:
    // Readiness: database reachable and migrations applied. Returns an error describing what is missing.
    using ReadinessCheck = std::function<QCoro::Task<atende::core::Status>()>;

    RestRouter(Dispatcher &dispatcher, Metrics &metrics, QObject *parent = nullptr);

    void setReadinessCheck(ReadinessCheck check) { m_ready = std::move(check); }
    void setOpenApi(QByteArray json) { m_openApiJson = std::move(json); }
    void setShuttingDown(bool v) { m_shuttingDown = v; }

    // The HttpServer handler.
    void handle(HttpRequest request, HttpResponder responder);

private:
    QCoro::Task<> handleApi(HttpRequest request, HttpResponder responder);
    QCoro::Task<> handleReady(HttpResponder responder);
    void reply(const HttpResponder &responder, const HttpResponse &response);
    void replyError(const HttpResponder &responder, const atende::core::Error &error, int status = 0);

    Dispatcher &m_dispatcher;
    Metrics &m_metrics;
    ReadinessCheck m_ready;
    QByteArray m_openApiJson;
    bool m_shuttingDown = false;
};

} // namespace atende::server::api
