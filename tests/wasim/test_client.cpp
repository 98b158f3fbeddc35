#include "tests/wasim/test_client.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/noise_handshake.h"
#include "server/whatsapp/proto/wa_client_payload.pb.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QTest>

namespace atende::wasim::test {

using namespace server::whatsapp;

namespace {

std::string toStd(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}

QByteArray bigEndian(quint32 value, int size)
{
    QByteArray out(size, '\0');
    for (int i = size - 1; i >= 0; --i, value >>= 8)
        out[i] = char(value & 0xFF);
    return out;
}

void fillCommon(proto::ClientPayload &p)
{
    auto *ua = p.mutable_user_agent();
    ua->set_platform(proto::UserAgent::WEB);
    ua->mutable_app_version()->set_primary(2);
    ua->mutable_app_version()->set_secondary(3000);
    ua->mutable_app_version()->set_tertiary(1045649367);
    ua->set_mcc("000");
    ua->set_mnc("000");
    ua->set_os_version("0.1");
    ua->set_device("Desktop");
    ua->set_os_build_number("0.1");
    ua->set_locale_language_iso_639_1("en");
    ua->set_locale_country_iso_3166_1_alpha_2("US");
    p.mutable_web_info()->set_web_sub_platform(proto::WebInfo::WEB_BROWSER);
    p.set_connect_type(proto::ClientPayload::WIFI_UNKNOWN);
    p.set_connect_reason(proto::ClientPayload::USER_ACTIVATED);
}

} // namespace

ClientKeys ClientKeys::generate()
{
    ClientKeys keys;
    keys.noise = crypto::generateX25519KeyPair();
    keys.identity = crypto::generateX25519KeyPair();
    keys.signedPreKey = crypto::generateX25519KeyPair();
    CurveSigner signer;
    keys.signedPreKeySignature =
        signer.sign(keys.identity.privateKey, QByteArray(1, '\x05') + keys.signedPreKey.publicKey).value();
    keys.registrationId = QRandomGenerator::global()->bounded(1u, 16380u);
    keys.advSecret = crypto::randomBytes(32);
    return keys;
}

QByteArray registrationPayload(const ClientKeys &keys, const QString &os)
{
    proto::ClientPayload p;
    fillCommon(p);
    p.set_passive(false);
    p.set_pull(false);
    auto *d = p.mutable_device_pairing_data();
    d->set_e_regid(toStd(bigEndian(keys.registrationId, 4)));
    d->set_e_keytype(std::string(1, '\x05'));
    d->set_e_ident(toStd(keys.identity.publicKey));
    d->set_e_skey_id(toStd(bigEndian(keys.signedPreKeyId, 3)));
    d->set_e_skey_val(toStd(keys.signedPreKey.publicKey));
    d->set_e_skey_sig(toStd(keys.signedPreKeySignature));
    d->set_build_hash(toStd(QCryptographicHash::hash("2.3000.1045649367", QCryptographicHash::Md5)));
    proto::DeviceProps props;
    props.set_os(os.toStdString());
    props.set_platform_type(proto::DeviceProps::DESKTOP);
    props.set_require_full_sync(false);
    d->set_device_props(props.SerializeAsString());
    return QByteArray::fromStdString(p.SerializeAsString());
}

QByteArray loginPayload(quint64 username, quint32 device, const QString &pushName)
{
    proto::ClientPayload p;
    fillCommon(p);
    p.set_username(username);
    p.set_device(device);
    p.set_passive(true);
    p.set_pull(true);
    if (!pushName.isEmpty())
        p.set_push_name(pushName.toStdString());
    return QByteArray::fromStdString(p.SerializeAsString());
}

TestClient::TestClient(QUrl url, QByteArray trustRoot, quint32 trustRootSerial)
    : m_url(std::move(url))
    , m_verifier(std::move(trustRoot), trustRootSerial)
    , m_socket(QStringLiteral("https://web.whatsapp.com"))
{
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &TestClient::onData);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed = true; });
}

TestClient::~TestClient() = default;

core::Status TestClient::fail(const QString &why)
{
    m_broken = true;
    return core::Error::make("test_client_failed", why);
}

core::Status TestClient::connectWith(const ClientKeys &keys, const QByteArray &clientPayload, int timeoutMs)
{
    m_socket.open(m_url);
    if (!QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; }, timeoutMs) ||
        m_closed)
        return fail(QStringLiteral("WebSocket did not open"));
    m_handshake = std::make_unique<NoiseHandshake>(NoiseHandshake::Role::Initiator, keys.noise,
                                                   crypto::generateX25519KeyPair(), waIntro());
    auto hello = m_handshake->writeClientHello();
    if (!hello)
        return hello.error();
    sendRaw(m_writer.frame(*hello).value());
    if (!QTest::qWaitFor([&] { return !m_handshakeFrames.isEmpty() || m_closed; }, timeoutMs) ||
        m_handshakeFrames.isEmpty())
        return fail(QStringLiteral("no ServerHello"));
    auto serverHello = m_handshake->readServerHello(m_handshakeFrames.takeFirst(), m_verifier);
    if (!serverHello) {
        m_broken = true;
        return serverHello.error();
    }
    auto finish = m_handshake->writeClientFinish(clientPayload);
    if (!finish)
        return finish.error();
    sendRaw(m_writer.frame(*finish).value());
    auto transport = m_handshake->split();
    if (!transport)
        return transport.error();
    m_transport = std::move(transport).value();
    m_handshake.reset();
    return {};
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

core::Status TestClient::send(const Node &node)
{
    if (!m_transport)
        return fail(QStringLiteral("not connected"));
    auto plain = BinaryEncoder::encodeFrame(node);
    if (!plain)
        return plain.error();
    auto encrypted = m_transport->send.encrypt(*plain);
    if (!encrypted)
        return encrypted.error();
    sendRaw(m_writer.frame(*encrypted).value());
    return {};
}

void TestClient::onData(const QByteArray &data)
{
    if (m_broken || !m_reader.feed(data)) {
        m_broken = true;
        return;
    }
    while (auto frame = m_reader.takeFrame()) {
        if (!m_transport) {
            m_handshakeFrames.append(*frame);
            continue;
        }
        auto plain = m_transport->receive.decrypt(*frame);
        if (!plain) {
            m_broken = true;
            return;
        }
        if (!plain->isEmpty() && (quint8(plain->at(0)) & 0x02))
            ++m_compressedFrames;
        auto node = BinaryDecoder::decodeFrame(*plain);
        if (!node) {
            m_broken = true;
            return;
        }
        m_inbox.append(std::move(node).value());
    }
}

std::optional<Node> TestClient::next(int timeoutMs)
{
    (void)QTest::qWaitFor([&] { return !m_inbox.isEmpty() || m_closed || m_broken; }, timeoutMs);
    if (m_inbox.isEmpty())
        return std::nullopt;
    return m_inbox.takeFirst();
}

std::optional<Node> TestClient::waitFor(const std::function<bool(const Node &)> &match, int timeoutMs)
{
    // Nodes that do not match stay in the inbox, in order, for later waits.
    qsizetype scanned = 0;
    auto findMatch = [&]() -> std::optional<Node> {
        for (; scanned < m_inbox.size(); ++scanned)
            if (match(m_inbox.at(scanned)))
                return m_inbox.takeAt(scanned);
        return std::nullopt;
    };
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        if (auto found = findMatch())
            return found;
        if (m_closed || m_broken || deadline.hasExpired())
            return std::nullopt;
        const qsizetype seen = m_inbox.size();
        (void)QTest::qWaitFor([&] { return m_inbox.size() > seen || m_closed || m_broken; },
                              int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

std::optional<Node> TestClient::waitForTag(const QString &tag, int timeoutMs)
{
    return waitFor([&](const Node &n) { return n.tag == tag; }, timeoutMs);
}

std::optional<Node> TestClient::query(Node iq, int timeoutMs)
{
    QString id = iq.attributeString(u"id");
    if (id.isEmpty()) {
        id = nextIqId();
        iq.setAttribute(QStringLiteral("id"), id);
    }
    if (!send(iq))
        return std::nullopt;
    return waitFor([&](const Node &n) { return n.tag == u"iq" && n.attributeString(u"id") == id; }, timeoutMs);
}

bool TestClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_closed; }, timeoutMs);
}

void TestClient::close()
{
    m_socket.close();
}

} // namespace atende::wasim::test
