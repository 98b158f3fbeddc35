// Device outboxes (PROTOCOL.md §6.4, §6.7, §12.1 items 5, 8, 9): every message, receipt and notification the
// server owes a device stays in its outbox until the device acknowledges it — a message by a receipt for
// its id, a receipt or notification by an <ack> — so a connection that drops before the acknowledgement
// gets the stanza again on the next login (with the `offline` attribute, then <ib><offline count/>).
// Chat states and presence are ephemeral: only connected devices get them, nothing is queued.
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;
using core::Error;

void Simulator::deliver(const QString &deviceKey, Node stanza)
{
    SimDevice *device = findDevice(deviceKey);
    if (!device)
        return; // the phone (device 0) or a device unlinked meanwhile: nothing to keep
    device->outbox.push_back(OutboxEntry{std::move(stanza), 0, now()});
    ++device->counters.relayed;
    markDirty();
    const auto targets = connectionsOf(deviceKey);
    if (targets.isEmpty() || device->holdDelivery) {
        ++device->counters.queued;
        return;
    }
    writeEntry(*targets.first(), *device, device->outbox.back(), false);
}

void Simulator::writeEntry(Connection &connection, SimDevice &device, OutboxEntry &entry, bool offline)
{
    entry.sentOn = connection.id();
    ++device.counters.delivered;
    if (offline) {
        Node copy = entry.stanza;
        copy.setAttribute(QStringLiteral("offline"), QStringLiteral("1"));
        connection.send(copy);
    } else {
        connection.send(entry.stanza);
    }
    if (device.dropAfter && --*device.dropAfter <= 0) {
        device.dropAfter.reset();
        record(QStringLiteral("drop_after %1").arg(device.key()));
        // Later in this event-loop turn: the caller may still be iterating over the outbox.
        QMetaObject::invokeMethod(
            &connection, [c = &connection] { c->abort(QStringLiteral("injected drop after deliveries")); },
            Qt::QueuedConnection);
    }
}

int Simulator::sendBacklog(Connection &connection, SimDevice &device)
{
    if (device.holdDelivery)
        return 0;
    int sent = 0;
    // Index loop: an injected drop is queued, it cannot change the outbox under us.
    for (size_t i = 0; i < device.outbox.size(); ++i, ++sent)
        writeEntry(connection, device, device.outbox[i], true);
    return sent;
}

void Simulator::deliverEphemeral(const QString &phone, const Node &stanza, const QString &exceptDevice)
{
    for (const QString &key : companionKeys(phone)) {
        if (key == exceptDevice)
            continue;
        SimDevice *device = findDevice(key);
        if (!device || device->holdDelivery)
            continue;
        for (Connection *c : connectionsOf(key))
            c->send(stanza);
    }
}

int Simulator::acknowledge(SimDevice &device, const std::function<bool(const Node &)> &match)
{
    const auto before = device.outbox.size();
    std::erase_if(device.outbox, [&](const OutboxEntry &e) { return match(e.stanza); });
    const int removed = int(before - device.outbox.size());
    if (removed > 0) {
        device.counters.acked += quint64(removed);
        markDirty();
    }
    return removed;
}

void Simulator::onClientAck(Connection &connection, const Node &ack)
{
    SimDevice *device = findDevice(connection.deviceKey());
    const QString cls = ack.attributeString(u"class");
    const QString id = ack.attributeString(u"id");
    if (!device || id.isEmpty() || cls.isEmpty())
        return;
    // An <ack> settles one stanza: the oldest of that class and id (and type, when the ack names one:
    // a delivery and a read receipt for the same message share the id).
    const QString type = ack.attributeString(u"type");
    bool done = false;
    acknowledge(*device, [&](const Node &stanza) {
        if (done || stanza.tag != cls || stanza.attributeString(u"id") != id)
            return false;
        if (!type.isEmpty() && cls != u"message" && stanza.attributeString(u"type") != type)
            return false;
        done = true;
        return true;
    });
}

core::Result<QJsonArray> Simulator::queuedStanzas(const QString &deviceKey) const
{
    auto it = m_devices.find(deviceKey);
    if (it == m_devices.end())
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    QJsonArray out;
    const auto open = connectionsOf(deviceKey);
    for (const OutboxEntry &e : it->second.outbox) {
        QJsonObject o{{QStringLiteral("tag"), e.stanza.tag},
                      {QStringLiteral("id"), e.stanza.attributeString(u"id")},
                      {QStringLiteral("from"), e.stanza.attributeString(u"from")},
                      {QStringLiteral("queued_at"), e.queuedAt},
                      {QStringLiteral("sent"), std::any_of(open.begin(), open.end(),
                                                           [&](const Connection *c) { return c->id() == e.sentOn; })}};
        if (const QString type = e.stanza.attributeString(u"type"); !type.isEmpty())
            o.insert(QStringLiteral("type"), type);
        out.append(o);
    }
    return out;
}

core::Result<QJsonObject> Simulator::relayCounters(const QString &deviceKey) const
{
    auto it = m_devices.find(deviceKey);
    if (it == m_devices.end())
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    const RelayCounters &c = it->second.counters;
    return QJsonObject{{QStringLiteral("sent"), qint64(c.sent)},
                       {QStringLiteral("relayed"), qint64(c.relayed)},
                       {QStringLiteral("queued"), qint64(c.queued)},
                       {QStringLiteral("delivered"), qint64(c.delivered)},
                       {QStringLiteral("acked"), qint64(c.acked)},
                       {QStringLiteral("rejected"), qint64(c.rejected)},
                       {QStringLiteral("pending"), qint64(it->second.outbox.size())},
                       {QStringLiteral("held"), it->second.holdDelivery}};
}

core::Status Simulator::holdDelivery(const QString &deviceKey, bool hold)
{
    SimDevice *device = findDevice(deviceKey);
    if (!device)
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    device->holdDelivery = hold;
    record(QStringLiteral("%1 %2").arg(hold ? QStringLiteral("hold") : QStringLiteral("release"), deviceKey));
    if (hold)
        return {};
    const auto targets = connectionsOf(deviceKey);
    if (targets.isEmpty())
        return {};
    for (size_t i = 0; i < device->outbox.size(); ++i)
        if (device->outbox[i].sentOn != targets.first()->id())
            writeEntry(*targets.first(), *device, device->outbox[i], false);
    return {};
}

core::Status Simulator::dropAfterDeliveries(const QString &deviceKey, int count)
{
    SimDevice *device = findDevice(deviceKey);
    if (!device)
        return Error::make("wasim_unknown_device", QStringLiteral("no such device"));
    if (count < 1)
        return Error::make("wasim_bad_fault", QStringLiteral("count must be at least 1"));
    device->dropAfter = count;
    return {};
}

} // namespace atende::wasim
