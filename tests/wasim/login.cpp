// Login (PROTOCOL.md §6.1, §12.1 item 5): the device must exist and present the Noise static key captured
// at pairing; then <success>, the offline queue and <ib><offline count/></ib>. Also the stream errors the
// admin API injects into logged-in connections (§11.1, §12.1 item 13).
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;
using core::Error;

namespace {

Attribute attr(const char *key, AttributeValue value)
{
    return Attribute{QString::fromLatin1(key), std::move(value)};
}

Node failure(int reason)
{
    return Node(QStringLiteral("failure"), {attr("reason", QString::number(reason))});
}

} // namespace

void Simulator::login(Connection &connection, quint64 username, quint32 deviceId, const QString &pushName)
{
    const QString key = QString::number(username) + u':' + QString::number(deviceId);
    auto reject = [&](int reason, const QString &why) {
        record(QStringLiteral("login_failed %1 %2 %3").arg(key).arg(reason).arg(why));
        connection.send(failure(reason));
        connection.close(QStringLiteral("login refused: %1").arg(why));
    };
    if (m_faults.nextLoginFailure) {
        const int reason = *m_faults.nextLoginFailure;
        m_faults.nextLoginFailure.reset();
        reject(reason, QStringLiteral("injected"));
        return;
    }
    SimDevice *device = findDevice(key);
    if (!device) {
        reject(401, QStringLiteral("unknown_device"));
        return;
    }
    if (device->noiseKey != connection.clientStaticKey()) {
        reject(401, QStringLiteral("noise_key_mismatch"));
        return;
    }
    if (device->nextLoginFailure) {
        const int reason = *device->nextLoginFailure;
        device->nextLoginFailure.reset();
        reject(reason, QStringLiteral("injected"));
        return;
    }
    // One connection per device: the newcomer replaces the old one, as the real server does.
    for (Connection *old : connectionsOf(key))
        old->streamErrorAndClose(
            Node(QStringLiteral("stream:error"), {},
                 std::vector<Node>{Node(QStringLiteral("conflict"), {attr("type", QStringLiteral("replaced"))})}),
            QStringLiteral("replaced by a newer login"));

    connection.beginLogin(key);
    if (!pushName.isEmpty() && pushName != device->pushName) {
        device->pushName = pushName;
        markDirty();
    }
    const SimUser &user = m_users.at(device->phone);
    connection.send(
        Node(QStringLiteral("success"), {attr("t", QString::number(now())),
                                         attr("lid", Jid::make(user.lid, QString(Jid::kLidServer), device->device))}));
    // Everything still owed, including stanzas sent on an earlier connection that were never acknowledged.
    const int queued = sendBacklog(connection, *device);
    connection.send(Node(QStringLiteral("ib"), {},
                         std::vector<Node>{Node(QStringLiteral("offline"), {attr("count", QString::number(queued))})}));
    record(QStringLiteral("login %1").arg(key));
    Q_EMIT deviceLoggedIn(key);
}

core::Status Simulator::sendStreamError(const QString &deviceKey, const QString &kind)
{
    Node error(QStringLiteral("stream:error"));
    if (kind == u"515" || kind == u"503" || kind == u"500") {
        error.setAttribute(QStringLiteral("code"), kind);
    } else if (kind == u"device_removed") {
        error.setAttribute(QStringLiteral("code"), QStringLiteral("401"));
        error.content = std::vector<Node>{Node(QStringLiteral("conflict"), {attr("type", kind)})};
    } else if (kind == u"replaced") {
        error.content = std::vector<Node>{Node(QStringLiteral("conflict"), {attr("type", kind)})};
    } else {
        return Error::make("wasim_bad_stream_error",
                           QStringLiteral("kind must be 515, 503, 500, device_removed or replaced"));
    }
    if (!findDevice(deviceKey))
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    const auto targets = connectionsOf(deviceKey);
    if (targets.isEmpty())
        return Error::make("wasim_not_connected", QStringLiteral("the device has no open connection"));
    for (Connection *c : targets)
        c->streamErrorAndClose(error, QStringLiteral("injected stream:error %1").arg(kind));
    return {};
}

core::Status Simulator::dropConnections(const QString &deviceKey)
{
    const auto targets = connectionsOf(deviceKey);
    if (targets.isEmpty())
        return Error::make("wasim_not_connected", QStringLiteral("the device has no open connection"));
    for (Connection *c : targets)
        c->abort(QStringLiteral("injected drop"));
    return {};
}

core::Status Simulator::failNextLogin(const QString &deviceKey, int reason)
{
    SimDevice *device = findDevice(deviceKey);
    if (!device)
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    device->nextLoginFailure = reason;
    return {};
}

core::Status Simulator::removeDevice(const QString &deviceKey)
{
    if (!findDevice(deviceKey))
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    const Node error(
        QStringLiteral("stream:error"), {attr("code", QStringLiteral("401"))},
        std::vector<Node>{Node(QStringLiteral("conflict"), {attr("type", QStringLiteral("device_removed"))})});
    for (Connection *c : connectionsOf(deviceKey))
        c->streamErrorAndClose(error, QStringLiteral("device removed"));
    m_devices.erase(deviceKey);
    m_subscriptions.erase(deviceKey);
    record(QStringLiteral("removed %1").arg(deviceKey));
    notifyDevicesChanged(deviceKey.section(u':', 0, 0), deviceKey, false);
    markDirty();
    return {};
}

bool Simulator::isConnected(const QString &deviceKey) const
{
    return !connectionsOf(deviceKey).isEmpty();
}

} // namespace atende::wasim
