#pragma once
// The desk benchmark's load: closed-loop REST clients over a scenario's requests, and the ingest run
// (injector + WebSocket subscribers measuring ingest-to-event latency).

#include "tests/bench/desk_seed.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <vector>

namespace atende::bench {

struct BenchRequest {
    QByteArray method = "GET";
    QString path;
    QByteArray body; // JSON, for POST
};

struct DeskScenario {
    QString name;
    QByteArray token;
    // The next request of one client, given that client's previous response body (empty at first) and a
    // counter the client keeps for the scenario (e.g. how deep it has paged).
    std::function<BenchRequest(const QByteArray &previous, int &depth)> next;
};

// The ticket-list and conversation scenarios for the seeded data; tokens by role.
std::vector<DeskScenario> deskScenarios(const DeskSeed &seed, const QHash<QString, QByteArray> &tokens);

// `clients` keep-alive connections, each one request at a time, for `seconds` (after a 1 s warm-up).
QJsonObject runRequestLoop(quint16 port, const DeskScenario &scenario, int clients, int seconds);

// Customer messages injected at `rate` per second for `seconds` through the seeded test connection while
// `subscribers` WebSocket sessions (signed in as the supervisor, so each should see every message) listen.
QJsonObject runIngest(quint16 port, const DeskSeed &seed, const QHash<QString, QByteArray> &tokens, int subscribers,
                      int rate, int seconds);

// The ticket md5('t' || i)::uuid of the seed, as text.
QString seededTicketId(int i);

} // namespace atende::bench
