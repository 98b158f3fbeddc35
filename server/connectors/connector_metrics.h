#pragma once
// /metrics gauges of the connection supervisor, read at scrape time: connections this instance owns, how
// many are in each session state, and the reconnect attempts of the owned sessions.

namespace atende::server::api {
class Metrics;
}

namespace atende::server::connectors {

class ConnectionSupervisor;

void addConnectorMetrics(api::Metrics &metrics, const ConnectionSupervisor *supervisor);

} // namespace atende::server::connectors
