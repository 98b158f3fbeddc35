#pragma once
// Simulated network with real peers: the in-process Simulator and wasim Customers (Session + SignalAccount +
// Messenger each). Users: A = 15550000001 ("Alice"), B = 15550000002 ("Bob").

#include "server/signal/signal_context.h"
#include "tests/support/await.h"
#include "tests/wasim/customer.h"
#include "tests/wasim/simulator.h"

#include <QTest>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace atende::test {

inline constexpr auto kPhoneA = "15550000001";
inline constexpr auto kPhoneB = "15550000002";

class MessengerTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    // A new companion of `phone`, paired and connected.
    wasim::Customer &add(const QString &phone);
    // The user JID (PN, no device) of a customer.
    static server::whatsapp::Jid userJid(const wasim::Customer &c);
    static QString deviceKey(const wasim::Customer &c);
    core::Result<QString> send(wasim::Customer &from, const wasim::Customer &to, const QString &text,
                               server::messenger::SendOptions options = {});
    bool waitMessages(const wasim::Customer &c, size_t count, int timeoutMs = 10000);
    bool waitConnected(const wasim::Customer &c, int timeoutMs = 10000);
    // Receipts of `type` for message `id` at `c`.
    static int receiptCount(const wasim::Customer &c, const QString &id, const QString &type);

    std::unique_ptr<wasim::Simulator> sim;
    server::signal::SignalContext context;
    std::vector<std::unique_ptr<wasim::Customer>> customers;
};

} // namespace atende::test
