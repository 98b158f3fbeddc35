#pragma once
// Prometheus metrics of one server instance: per-operation request counters and latency histograms,
// plus gauges read at scrape time (DB pool, WebSocket sessions, RSS). Lives on the main thread.

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>
#include <functional>
#include <vector>

namespace atende::server::api {

class Metrics {
public:
    // Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    void observeRequest(const QString &operation, const QString &transport, int httpStatus, double seconds);
    void countHttp(int httpStatus);

    // A gauge or counter computed when /metrics is scraped.
    void addGauge(QString name, QString help, std::function<double()> read, bool counter = false);

    QByteArray render() const;

private:
    struct OpStats {
        std::array<quint64, kBuckets.size()> buckets{};
        quint64 count = 0;
        double sum = 0;
    };
    struct Gauge {
        QString name;
        QString help;
        std::function<double()> read;
        bool counter = false;
    };
    QHash<QString, OpStats> m_latency;  // key: operation + '\n' + transport
    QHash<QString, quint64> m_requests; // key: operation + '\n' + transport + '\n' + status
    QHash<int, quint64> m_http;
    std::vector<Gauge> m_gauges;
};

} // namespace atende::server::api
