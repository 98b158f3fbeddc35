#include "server/api/metrics.h"

#include <QStringList>

#include <algorithm>

namespace atende::server::api {

void Metrics::observeRequest(const QString &operation, const QString &transport, int httpStatus, double seconds)
{
    const QString key = operation + QLatin1Char('\n') + transport;
    OpStats &s = m_latency[key];
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i])
            ++s.buckets[i];
    ++s.count;
    s.sum += seconds;
    ++m_requests[key + QLatin1Char('\n') + QString::number(httpStatus)];
}

void Metrics::countHttp(int httpStatus)
{
    ++m_http[httpStatus];
}

void Metrics::addGauge(QString name, QString help, std::function<double()> read, bool counter)
{
    m_gauges.push_back(Gauge{std::move(name), std::move(help), std::move(read), counter});
}

QByteArray Metrics::render() const
{
    QByteArray out;
    out.reserve(8192);
    auto num = [](double v) {
        return QByteArray::number(v, 'g', 12);
    };

    out += "# HELP atende_api_requests_total API calls by operation, transport and HTTP-equivalent status.\n"
           "# TYPE atende_api_requests_total counter\n";
    QStringList keys = m_requests.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &k : keys) {
        const QStringList p = k.split(QLatin1Char('\n'));
        out += "atende_api_requests_total{operation=\"" + p[0].toUtf8() + "\",transport=\"" + p[1].toUtf8() +
               "\",status=\"" + p[2].toUtf8() + "\"} " + QByteArray::number(m_requests.value(k)) + '\n';
    }

    out += "# HELP atende_api_request_duration_seconds API call latency by operation and transport.\n"
           "# TYPE atende_api_request_duration_seconds histogram\n";
    keys = m_latency.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &k : keys) {
        const QStringList p = k.split(QLatin1Char('\n'));
        const OpStats &s = m_latency[k];
        const QByteArray labels = "operation=\"" + p[0].toUtf8() + "\",transport=\"" + p[1].toUtf8() + '"';
        for (size_t i = 0; i < kBuckets.size(); ++i)
            out += "atende_api_request_duration_seconds_bucket{" + labels + ",le=\"" + num(kBuckets[i]) + "\"} " +
                   QByteArray::number(s.buckets[i]) + '\n';
        out += "atende_api_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + QByteArray::number(s.count) +
               '\n';
        out += "atende_api_request_duration_seconds_sum{" + labels + "} " + num(s.sum) + '\n';
        out += "atende_api_request_duration_seconds_count{" + labels + "} " + QByteArray::number(s.count) + '\n';
    }

    out += "# HELP atende_http_responses_total HTTP responses by status (all paths).\n"
           "# TYPE atende_http_responses_total counter\n";
    QList<int> codes = m_http.keys();
    std::sort(codes.begin(), codes.end());
    for (int c : codes)
        out += "atende_http_responses_total{status=\"" + QByteArray::number(c) + "\"} " +
               QByteArray::number(m_http.value(c)) + '\n';

    for (const Gauge &g : m_gauges) {
        out += "# HELP " + g.name.toUtf8() + ' ' + g.help.toUtf8() + '\n';
        out += "# TYPE " + g.name.toUtf8() + (g.counter ? " counter\n" : " gauge\n");
        out += g.name.toUtf8() + ' ' + num(g.read()) + '\n';
    }
    return out;
}

} // namespace atende::server::api
