#include "server/whatsapp/noise_handshake.h"

#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/proto/wa_handshake.pb.h"

namespace atende::server::whatsapp {

using core::Error;
using core::Result;
using core::Status;

namespace {

std::string toStd(QByteArrayView b)
{
    return std::string(b.data(), size_t(b.size()));
}

QByteArray fromStd(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

Error malformed(QString why)
{
    return Error::make(errc::kNoiseMalformedMessage, std::move(why));
}

Result<proto::HandshakeMessage> parseMessage(QByteArrayView bytes)
{
    proto::HandshakeMessage message;
    if (!message.ParseFromArray(bytes.data(), int(bytes.size())))
        return malformed(QStringLiteral("HandshakeMessage does not parse"));
    return message;
}

QByteArray serialize(const proto::HandshakeMessage &message)
{
    return fromStd(message.SerializeAsString());
}

} // namespace

NoiseHandshake::NoiseHandshake(Role role, crypto::KeyPair staticKey, crypto::KeyPair ephemeralKey, QByteArray prologue)
    : m_role(role)
    , m_static(std::move(staticKey))
    , m_ephemeral(std::move(ephemeralKey))
{
    m_state.mixHash(prologue);
}

Status NoiseHandshake::expect(Role role, Step step)
{
    if (m_role != role || m_step != step)
        return failed(Status(Error::make(errc::kNoiseOutOfOrder, QStringLiteral("handshake step out of order"))));
    return {};
}

template <typename T> Result<T> NoiseHandshake::failed(Result<T> result)
{
    if (!result)
        m_step = Step::Failed;
    return result;
}

Status NoiseHandshake::failed(Status status)
{
    if (!status)
        m_step = Step::Failed;
    return status;
}

Status NoiseHandshake::mixDh(QByteArrayView privateKey, QByteArrayView publicKey)
{
    auto shared = crypto::x25519(privateKey, publicKey);
    if (!shared)
        return shared.error();
    m_state.mixKey(*shared);
    return {};
}

Result<QByteArray> NoiseHandshake::writeClientHello()
{
    if (Status s = expect(Role::Initiator, Step::Start); !s)
        return s.error();
    m_state.mixHash(m_ephemeral.publicKey);
    proto::HandshakeMessage message;
    message.mutable_client_hello()->set_ephemeral(toStd(m_ephemeral.publicKey));
    m_step = Step::HelloDone;
    return serialize(message);
}

Result<NoiseHandshake::ServerHelloResult> NoiseHandshake::readServerHello(QByteArrayView bytes,
                                                                          const CertChainVerifier &verifier)
{
    if (Status s = expect(Role::Initiator, Step::HelloDone); !s)
        return s.error();
    auto run = [&]() -> Result<ServerHelloResult> {
        auto message = parseMessage(bytes);
        if (!message)
            return message.error();
        const auto &hello = message->server_hello();
        if (!message->has_server_hello() || hello.ephemeral().size() != 32 || hello.static_().empty() ||
            hello.payload().empty())
            return malformed(QStringLiteral("ServerHello lacks ephemeral, static or payload"));
        m_remoteEphemeral = fromStd(hello.ephemeral());
        m_state.mixHash(m_remoteEphemeral);
        if (Status s = mixDh(m_ephemeral.privateKey, m_remoteEphemeral); !s) // ee
            return s.error();
        auto serverStatic = m_state.decryptAndHash(fromStd(hello.static_()));
        if (!serverStatic)
            return serverStatic.error();
        if (serverStatic->size() != 32)
            return malformed(QStringLiteral("server static key is not 32 bytes"));
        if (Status s = mixDh(m_ephemeral.privateKey, *serverStatic); !s) // es
            return s.error();
        auto certChain = m_state.decryptAndHash(fromStd(hello.payload()));
        if (!certChain)
            return certChain.error();
        if (Status s = verifier.verify(*certChain, *serverStatic); !s)
            return s.error();
        m_step = Step::ServerHelloDone;
        return ServerHelloResult{std::move(serverStatic).value(), std::move(certChain).value()};
    };
    return failed(run());
}

Result<QByteArray> NoiseHandshake::writeClientFinish(QByteArrayView clientPayload)
{
    if (Status s = expect(Role::Initiator, Step::ServerHelloDone); !s)
        return s.error();
    auto run = [&]() -> Result<QByteArray> {
        auto staticCiphertext = m_state.encryptAndHash(m_static.publicKey);
        if (!staticCiphertext)
            return staticCiphertext;
        if (Status s = mixDh(m_static.privateKey, m_remoteEphemeral); !s) // se
            return s.error();
        auto payloadCiphertext = m_state.encryptAndHash(clientPayload);
        if (!payloadCiphertext)
            return payloadCiphertext;
        proto::HandshakeMessage message;
        message.mutable_client_finish()->set_static_(toStd(*staticCiphertext));
        message.mutable_client_finish()->set_payload(toStd(*payloadCiphertext));
        m_step = Step::Finished;
        return serialize(message);
    };
    return failed(run());
}

Status NoiseHandshake::readClientHello(QByteArrayView bytes)
{
    if (Status s = expect(Role::Responder, Step::Start); !s)
        return s;
    auto message = parseMessage(bytes);
    if (!message)
        return failed(Status(message.error()));
    if (!message->has_client_hello() || message->client_hello().ephemeral().size() != 32)
        return failed(Status(malformed(QStringLiteral("ClientHello lacks a 32-byte ephemeral key"))));
    m_remoteEphemeral = fromStd(message->client_hello().ephemeral());
    m_state.mixHash(m_remoteEphemeral);
    m_step = Step::HelloDone;
    return {};
}

Result<QByteArray> NoiseHandshake::writeServerHello(QByteArrayView certChain)
{
    if (Status s = expect(Role::Responder, Step::HelloDone); !s)
        return s.error();
    auto run = [&]() -> Result<QByteArray> {
        m_state.mixHash(m_ephemeral.publicKey);
        if (Status s = mixDh(m_ephemeral.privateKey, m_remoteEphemeral); !s) // ee
            return s.error();
        auto staticCiphertext = m_state.encryptAndHash(m_static.publicKey);
        if (!staticCiphertext)
            return staticCiphertext;
        if (Status s = mixDh(m_static.privateKey, m_remoteEphemeral); !s) // es
            return s.error();
        auto certCiphertext = m_state.encryptAndHash(certChain);
        if (!certCiphertext)
            return certCiphertext;
        proto::HandshakeMessage message;
        auto *hello = message.mutable_server_hello();
        hello->set_ephemeral(toStd(m_ephemeral.publicKey));
        hello->set_static_(toStd(*staticCiphertext));
        hello->set_payload(toStd(*certCiphertext));
        m_step = Step::ServerHelloDone;
        return serialize(message);
    };
    return failed(run());
}

Result<NoiseHandshake::ClientFinishResult> NoiseHandshake::readClientFinish(QByteArrayView bytes)
{
    if (Status s = expect(Role::Responder, Step::ServerHelloDone); !s)
        return s.error();
    auto run = [&]() -> Result<ClientFinishResult> {
        auto message = parseMessage(bytes);
        if (!message)
            return message.error();
        const auto &finish = message->client_finish();
        if (!message->has_client_finish() || finish.static_().empty() || finish.payload().empty())
            return malformed(QStringLiteral("ClientFinish lacks static or payload"));
        auto clientStatic = m_state.decryptAndHash(fromStd(finish.static_()));
        if (!clientStatic)
            return clientStatic.error();
        if (clientStatic->size() != 32)
            return malformed(QStringLiteral("client static key is not 32 bytes"));
        if (Status s = mixDh(m_ephemeral.privateKey, *clientStatic); !s) // se
            return s.error();
        auto payload = m_state.decryptAndHash(fromStd(finish.payload()));
        if (!payload)
            return payload.error();
        m_step = Step::Finished;
        return ClientFinishResult{std::move(clientStatic).value(), std::move(payload).value()};
    };
    return failed(run());
}

Result<NoiseTransport> NoiseHandshake::split() const
{
    if (m_step != Step::Finished)
        return Error::make(errc::kNoiseOutOfOrder, QStringLiteral("split before the handshake finished"));
    auto [first, second] = m_state.split();
    // The client sends with the first key; the server therefore receives with it (§2.3 step 9, §2.5).
    if (m_role == Role::Initiator)
        return NoiseTransport{CipherState(first), CipherState(second)};
    return NoiseTransport{CipherState(second), CipherState(first)};
}

} // namespace atende::server::whatsapp
