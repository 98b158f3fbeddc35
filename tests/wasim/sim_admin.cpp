// The admin operations of the Simulator that are not protocol: users, device listings, faults.
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace atende::wasim {

using namespace server::whatsapp;
using core::Error;

namespace {

bool allDigits(const QString &text)
{
    if (text.isEmpty() || text.size() > 20)
        return false;
    for (QChar c : text)
        if (!c.isDigit())
            return false;
    return true;
}

} // namespace

core::Result<SimUser> Simulator::createUser(const UserSpec &spec)
{
    if (!allDigits(spec.phone))
        return Error::make("wasim_bad_phone", QStringLiteral("phone must be 1-20 digits"));
    if (!spec.lid.isEmpty() && !allDigits(spec.lid))
        return Error::make("wasim_bad_lid", QStringLiteral("lid must be 1-20 digits"));
    if (m_users.count(spec.phone))
        return Error::make("wasim_user_exists", QStringLiteral("a user with this phone already exists"));
    SimUser user;
    user.phone = spec.phone;
    user.pushName = spec.pushName.isEmpty() ? QStringLiteral("Wasim User") : spec.pushName.left(100);
    // A LID that cannot collide with a phone number of the same length: 8 prefix + the digits reversed.
    QString reversed = spec.phone;
    std::reverse(reversed.begin(), reversed.end());
    user.lid = spec.lid.isEmpty() ? QStringLiteral("8") + reversed : spec.lid;
    user.account = TestCa::derivedKeyPair(
        m_options.seed.isEmpty() ? QByteArray() : m_options.seed + spec.phone.toLatin1(), "account");
    user.rawId = QRandomGenerator::global()->bounded(1u << 30) + 1;
    m_users[user.phone] = user;
    m_userOrder.append(user.phone);
    record(QStringLiteral("user %1").arg(user.phone));
    markDirty();
    return user;
}

QList<SimUser> Simulator::users() const
{
    QList<SimUser> out;
    for (const QString &phone : m_userOrder)
        out.append(m_users.at(phone));
    return out;
}

QJsonObject Simulator::deviceJson(const SimDevice &d) const
{
    const SimUser &user = m_users.at(d.phone);
    return QJsonObject{
        {QStringLiteral("key"), d.key()},
        {QStringLiteral("jid"), pnJid(d.phone, d.device)},
        {QStringLiteral("lid"), lidJid(user, d.device)},
        {QStringLiteral("phone"), d.phone},
        {QStringLiteral("device"), int(d.device)},
        {QStringLiteral("key_index"), qint64(d.keyIndex)},
        {QStringLiteral("platform"), d.platform},
        {QStringLiteral("push_name"), d.pushName},
        {QStringLiteral("available"), d.available},
        {QStringLiteral("prekeys"), qint64(d.preKeys.size())},
        {QStringLiteral("offline_queue"), qint64(d.outbox.size())},
        {QStringLiteral("held"), d.holdDelivery},
        {QStringLiteral("connected"), isConnected(d.key())},
    };
}

QList<QJsonObject> Simulator::devices() const
{
    QList<QJsonObject> out;
    for (const auto &[key, d] : m_devices)
        out.append(deviceJson(d));
    return out;
}

std::optional<SimDevice> Simulator::device(const QString &deviceKey) const
{
    auto it = m_devices.find(deviceKey);
    if (it == m_devices.end())
        return std::nullopt;
    return it->second;
}

QList<QJsonObject> Simulator::connections() const
{
    QList<QJsonObject> out;
    for (const Connection *c : m_connections) {
        QJsonObject o{{QStringLiteral("id"), qint64(c->id())},
                      {QStringLiteral("phase"), Connection::phaseName(c->phase())}};
        if (!c->deviceKey().isEmpty())
            o.insert(QStringLiteral("device"), c->deviceKey());
        out.append(o);
    }
    return out;
}

QJsonObject Simulator::faultsJson() const
{
    QJsonObject o{{QStringLiteral("chain"), chainFaultName(m_faults.chain)},
                  {QStringLiteral("reply_delay_ms"), m_faults.replyDelayMs},
                  {QStringLiteral("compress_frames"), m_faults.compressFrames}};
    o.insert(QStringLiteral("next_login_failure"),
             m_faults.nextLoginFailure ? QJsonValue(*m_faults.nextLoginFailure) : QJsonValue());
    return o;
}

core::Status Simulator::setFaults(const QJsonObject &json)
{
    // Check all fields first so that a bad request changes nothing.
    Faults next = m_faults;
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (key == u"chain") {
            auto fault = chainFaultFromName(v.toString());
            if (!v.isString() || !fault)
                return Error::make("wasim_bad_fault", QStringLiteral("chain must be none, wrong_root, "
                                                                     "wrong_leaf_key, expired or serial_mismatch"));
            next.chain = *fault;
        } else if (key == u"reply_delay_ms") {
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 600000)
                return Error::make("wasim_bad_fault", QStringLiteral("reply_delay_ms must be 0..600000"));
            next.replyDelayMs = v.toInt();
        } else if (key == u"compress_frames") {
            if (!v.isBool())
                return Error::make("wasim_bad_fault", QStringLiteral("compress_frames must be a boolean"));
            next.compressFrames = v.toBool();
        } else if (key == u"next_login_failure") {
            if (v.isNull()) {
                next.nextLoginFailure.reset();
            } else if (!v.isDouble() || v.toInt() < 400 || v.toInt() > 599) {
                return Error::make("wasim_bad_fault", QStringLiteral("next_login_failure must be 400..599 or null"));
            } else {
                next.nextLoginFailure = v.toInt();
            }
        } else {
            return Error::make("wasim_bad_fault", QStringLiteral("unknown fault field"),
                               {{QStringLiteral("field"), key}});
        }
    }
    m_faults = next;
    return {};
}

void Simulator::queueQrForAutoScan(const QString &qrText)
{
    QTimer::singleShot(qMax(0, m_options.autoScanMs), this, [this, qrText] {
        auto result = scan(qrText);
        record(result ? QStringLiteral("auto_scan %1").arg(*result)
                      : QStringLiteral("auto_scan_failed %1").arg(result.error().code));
    });
}

} // namespace atende::wasim
