#pragma once
// The simulator's admin HTTP API (README.md lists the endpoints): JSON in and out, stable error codes
// ({"code","message"} with 400/404/405/409), never a crash on bad input.

#include "server/api/http_server.h"
#include "server/api/http_types.h"

namespace atende::wasim {

class Simulator;

class AdminApi {
public:
    explicit AdminApi(Simulator &simulator)
        : m_sim(simulator)
    {}
    // Answers through `responder`, possibly later (customer endpoints wait for the network).
    void handle(const server::api::HttpRequest &request, server::api::HttpResponder responder);
    server::api::HttpResponse handle(const server::api::HttpRequest &request);

private:
    // customer_admin.cpp: /admin/customers…
    void customers(const server::api::HttpRequest &request, server::api::HttpResponder responder);
    server::api::HttpResponse device(const server::api::HttpRequest &request, const QString &key,
                                     const QString &action);
    Simulator &m_sim;
};

} // namespace atende::wasim
