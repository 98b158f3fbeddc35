// Reason codes and the reconnect policy of a Session (PROTOCOL.md §11).
#include "server/whatsapp/session_reasons.h"

#include <gtest/gtest.h>

using namespace atende::server::whatsapp;
using namespace std::chrono_literals;

namespace {

Node streamError(const QString &code, const QString &conflictType = {})
{
    Node node(QStringLiteral("stream:error"));
    if (!code.isEmpty())
        node.setAttribute(QStringLiteral("code"), code);
    if (!conflictType.isEmpty())
        node.content = std::vector<Node>{Node(QStringLiteral("conflict"), {{QStringLiteral("type"), conflictType}})};
    return node;
}

} // namespace

TEST(WaSessionPolicy, StreamErrorsMapToStableReasons)
{
    EXPECT_EQ(streamErrorReason(streamError(QStringLiteral("515"))), QStringLiteral("stream_error_515"));
    EXPECT_EQ(streamErrorReason(streamError(QStringLiteral("503"))), QStringLiteral("stream_error_503"));
    EXPECT_EQ(streamErrorReason(streamError(QStringLiteral("401"), QStringLiteral("device_removed"))),
              QStringLiteral("device_removed"));
    EXPECT_EQ(streamErrorReason(streamError({}, QStringLiteral("replaced"))), QStringLiteral("replaced"));
    EXPECT_EQ(streamErrorReason(streamError(QStringLiteral("x"))), QStringLiteral("stream_error_unknown"));
    Node failure(QStringLiteral("failure"), {{QStringLiteral("reason"), QStringLiteral("405")}});
    EXPECT_EQ(failureReason(failure), QStringLiteral("failure_405"));
}

TEST(WaSessionPolicy, ReasonToRetryTable)
{
    const struct {
        const char *reason;
        ReconnectAction action;
    } table[] = {
        {"stream_error_515", ReconnectAction::Immediately},
        {"stream_error_503", ReconnectAction::Backoff},
        {"stream_error_500", ReconnectAction::Backoff},
        {"stream_error_unknown", ReconnectAction::Backoff},
        {"stream_end", ReconnectAction::Backoff},
        {"network_error", ReconnectAction::Backoff},
        {"keepalive_timeout", ReconnectAction::Backoff},
        {"handshake_timeout", ReconnectAction::Backoff},
        {"handshake_failed", ReconnectAction::Backoff},
        {"frame_decrypt_failed", ReconnectAction::Backoff},
        {"node_decode_failed", ReconnectAction::Backoff},
        {"frame_invalid", ReconnectAction::Backoff},
        {"failure_500", ReconnectAction::Backoff},
        {"failure_503", ReconnectAction::Backoff},
        {"device_removed", ReconnectAction::LogOut},
        {"stream_error_401", ReconnectAction::LogOut},
        {"failure_401", ReconnectAction::LogOut},
        {"failure_403", ReconnectAction::LogOut},
        {"failure_406", ReconnectAction::LogOut},
        {"logged_out", ReconnectAction::LogOut},
        {"failure_402", ReconnectAction::Fail},
        {"failure_405", ReconnectAction::Fail},
        {"failure_409", ReconnectAction::Fail},
        {"failure_400", ReconnectAction::Fail},
        {"cert_invalid", ReconnectAction::Fail},
        {"pairing_rejected", ReconnectAction::Fail},
        {"replaced", ReconnectAction::Stop},
        {"stopped", ReconnectAction::Stop},
        {"qr_refs_exhausted", ReconnectAction::Stop},
    };
    for (const auto &row : table)
        EXPECT_EQ(int(reconnectActionFor(QString::fromLatin1(row.reason))), int(row.action)) << row.reason;
}

TEST(WaSessionPolicy, BackoffDoublesUpToTheCapWithinJitter)
{
    auto low = [] {
        return 0.0;
    };
    auto mid = [] {
        return 0.5;
    };
    auto high = [] {
        return 0.999999;
    };
    EXPECT_EQ(backoffDelay(1, 1000ms, 60000ms, 0.2, mid), 1000ms);
    EXPECT_EQ(backoffDelay(2, 1000ms, 60000ms, 0.2, mid), 2000ms);
    EXPECT_EQ(backoffDelay(6, 1000ms, 60000ms, 0.2, mid), 32000ms);
    EXPECT_EQ(backoffDelay(7, 1000ms, 60000ms, 0.2, mid), 60000ms);
    EXPECT_EQ(backoffDelay(100, 1000ms, 60000ms, 0.2, mid), 60000ms);
    EXPECT_EQ(backoffDelay(1, 1000ms, 60000ms, 0.2, low), 800ms);
    EXPECT_EQ(backoffDelay(1, 1000ms, 60000ms, 0.2, high), 1200ms);
    EXPECT_EQ(backoffDelay(50, 1000ms, 60000ms, 0.2, low), 48000ms);
    EXPECT_EQ(backoffDelay(50, 1000ms, 60000ms, 0.2, high), 72000ms);
    // With a real random source every delay stays inside ±20 % of its base.
    for (int attempt = 1; attempt < 12; ++attempt) {
        const double base = std::min(1000.0 * (1 << (attempt - 1)), 60000.0);
        for (int i = 0; i < 200; ++i) {
            const auto delay = backoffDelay(attempt, 1000ms, 60000ms, 0.2, [] { return double(rand()) / RAND_MAX; });
            EXPECT_GE(double(delay.count()), base * 0.8 - 1);
            EXPECT_LE(double(delay.count()), base * 1.2 + 1);
        }
    }
}
