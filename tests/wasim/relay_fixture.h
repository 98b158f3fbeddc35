#pragma once
// Two simulated users for the relay tests: A (15550000001, "Alice Phone") with companions A1 and A2, and B
// (15550000002, "Bob Phone") with companion B1, all paired through the simulator; clients log in on demand.
// Messages are built and parsed with server/whatsapp's stanza layer, so these tests also check that layer
// against the simulator.

#include "server/whatsapp/message_stanza.h"
#include "server/whatsapp/receipt_stanza.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/test_client.h"

#include <gtest/gtest.h>

#include <memory>

namespace atende::wasim::test {

struct Companion {
    ClientKeys keys;
    PairResult paired;
    QString key() const { return QStringLiteral("%1:%2").arg(paired.username).arg(paired.device); }
    server::whatsapp::Jid jid() const { return *server::whatsapp::Jid::parse(paired.jid); }
};

class RelayTest : public ::testing::Test {
protected:
    void SetUp() override;
    // Pairs a new companion of `phone`.
    Companion pair(const QString &phone);
    // A logged-in client for the companion (its <success> and <ib><offline/></ib> consumed; queued stanzas
    // stay in the inbox, in order).
    std::unique_ptr<TestClient> connect(const Companion &c);
    // A text-type message from `from` to `to`'s user with one enc per named device (ciphertext = "ct:<jid>").
    server::whatsapp::Node message(const QString &id, const QString &to, const QStringList &devices,
                                   const QString &encType = QStringLiteral("msg"));
    std::optional<server::whatsapp::Node> nextMessage(TestClient &client, int timeoutMs = 3000);

    static constexpr auto kPhoneA = "15550000001";
    static constexpr auto kPhoneB = "15550000002";
    std::unique_ptr<Simulator> sim = std::make_unique<Simulator>();
    Companion a1, a2, b1;
};

} // namespace atende::wasim::test
