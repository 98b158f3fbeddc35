// Noise XX handshake (PROTOCOL.md §2) with the fixed keys of the vectors: every intermediate value, both
// handshake roles, the transport frames of both directions and the failure paths.

#include "test_vectors.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/cert_chain_verifier.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/frame_writer.h"
#include "server/whatsapp/noise_handshake.h"

#include <gtest/gtest.h>

#include <memory>

namespace atende::server::whatsapp::test {
namespace {

std::string hex(const QByteArray &b)
{
    return b.toHex().toStdString();
}
std::string hexv(std::initializer_list<const char *> path)
{
    return hex(vectorHex(path));
}

crypto::KeyPair keyPair(const char *name)
{
    const std::string priv = std::string(name) + "_priv";
    const std::string pub = std::string(name) + "_pub";
    return crypto::KeyPair{vectorHex({"keys", priv.c_str()}), vectorHex({"keys", pub.c_str()})};
}

CertChainVerifier testVerifier()
{
    // The vectors' chain is valid 1700000000..4102444800 and issued by the test root with serial 0.
    return CertChainVerifier(vectorHex({"keys", "root_pub"}), 0, [] { return qint64(1800000000); });
}

// Strips the 3-byte length of a single frame.
QByteArray payloadOf(const QByteArray &frame)
{
    return frame.sliced(kFrameHeaderSize);
}

TEST(WaNoise, KeyPairsMatchTheirPrivateKeys)
{
    for (const char *name :
         {"client_ephemeral", "client_static", "server_ephemeral", "server_static", "root", "intermediate"}) {
        const crypto::KeyPair pair = keyPair(name);
        EXPECT_EQ(hex(crypto::x25519PublicKey(pair.privateKey).value()), hex(pair.publicKey)) << name;
    }
}

TEST(WaNoise, SymmetricStateIntermediateValues)
{
    SymmetricState state;
    EXPECT_EQ(state.hash(), QByteArrayLiteral("Noise_XX_25519_AESGCM_SHA256\0\0\0\0"));
    state.mixHash(vectorHex({"noise", "prologue"}));
    EXPECT_EQ(hex(state.hash()), hexv({"noise", "h_after_prologue"}));
    state.mixHash(vectorHex({"keys", "client_ephemeral_pub"}));
    EXPECT_EQ(hex(state.hash()), hexv({"noise", "h_after_client_e"}));
    state.mixHash(vectorHex({"keys", "server_ephemeral_pub"}));
    state.mixKey(
        crypto::x25519(vectorHex({"keys", "client_ephemeral_priv"}), vectorHex({"keys", "server_ephemeral_pub"}))
            .value());
    EXPECT_EQ(hex(state.chainingKey()), hexv({"noise", "ck_after_ee"}));
    EXPECT_EQ(hex(state.cipherKey()), hexv({"noise", "k_after_ee"}));
    EXPECT_EQ(state.counter(), 0u);
    // The server's static key travels as the ServerHello's `static` field.
    const QByteArray serverHello = vectorHex({"noise", "server_hello_handshake_message"});
    const QByteArray staticCiphertext = serverHello.sliced(1 + 2 + 2 + 32 + 2, 48); // 1a d702 | 0a20 e | 1230 s
    auto serverStatic = state.decryptAndHash(staticCiphertext);
    ASSERT_TRUE(serverStatic.ok());
    EXPECT_EQ(hex(*serverStatic), hexv({"keys", "server_static_pub"}));
    EXPECT_EQ(state.counter(), 1u);
    state.mixKey(crypto::x25519(vectorHex({"keys", "client_ephemeral_priv"}), *serverStatic).value());
    EXPECT_EQ(hex(state.cipherKey()), hexv({"noise", "k_after_es"}));
}

TEST(WaNoise, InitiatorReproducesEveryVector)
{
    NoiseHandshake client(NoiseHandshake::Role::Initiator, keyPair("client_static"), keyPair("client_ephemeral"),
                          waIntro());
    EXPECT_EQ(hex(client.state().hash()), hexv({"noise", "h_after_prologue"}));
    FrameWriter writer(waIntro());

    auto hello = client.writeClientHello();
    ASSERT_TRUE(hello.ok());
    EXPECT_EQ(hex(writer.frame(*hello).value()), hexv({"noise", "frame1_client_hello_with_intro"}));
    EXPECT_EQ(hex(client.state().hash()), hexv({"noise", "h_after_client_e"}));

    auto server = client.readServerHello(vectorHex({"noise", "server_hello_handshake_message"}), testVerifier());
    ASSERT_TRUE(server.ok()) << server.error().code.toStdString();
    EXPECT_EQ(hex(server->serverStaticKey), hexv({"keys", "server_static_pub"}));
    EXPECT_EQ(hex(server->certChain), hexv({"cert_chain", "cert_chain"}));

    auto finish = client.writeClientFinish(vectorHex({"client_payload_login_example"}));
    ASSERT_TRUE(finish.ok());
    EXPECT_EQ(hex(writer.frame(*finish).value()), hexv({"noise", "frame2_client_finish"}));
    EXPECT_EQ(hex(client.state().hash()), hexv({"noise", "h_final"}));
    EXPECT_EQ(hex(client.state().chainingKey()), hexv({"noise", "ck_final"}));

    auto transport = client.split();
    ASSERT_TRUE(transport.ok());
    EXPECT_EQ(hex(transport->send.key()), hexv({"noise", "client_send_key"}));
    EXPECT_EQ(hex(transport->receive.key()), hexv({"noise", "client_recv_key"}));

    // First client transport frame (counter 0): the ping iq.
    auto sealed = transport->send.encrypt(vectorHex({"noise", "transport_plain_node_1"}));
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(hex(writer.frame(*sealed).value()), hexv({"noise", "frame3_client_transport_counter0"}));
    EXPECT_EQ(transport->send.counter(), 1u);

    // First server transport frame (counter 0): <success t lid/>.
    FrameReader reader;
    ASSERT_TRUE(reader.feed(vectorHex({"noise", "server_frame_counter0"})).ok());
    auto opened = transport->receive.decrypt(reader.takeFrame().value());
    ASSERT_TRUE(opened.ok());
    auto node = BinaryDecoder::decodeFrame(*opened);
    ASSERT_TRUE(node.ok());
    const OrderedJson *expected = vector({"noise", "server_frame_decoded"});
    ASSERT_NE(expected, nullptr);
    EXPECT_EQ(*node, nodeFromJson(*expected));
    EXPECT_EQ(node->attributeJid(u"lid")->toString(), QStringLiteral("123456789012345:3@lid"));
}

TEST(WaNoise, ResponderReproducesEveryVector)
{
    NoiseHandshake server(NoiseHandshake::Role::Responder, keyPair("server_static"), keyPair("server_ephemeral"),
                          waIntro());
    FrameReader reader(FrameReader::Mode::IntroThenFrames);
    ASSERT_TRUE(reader.feed(vectorHex({"noise", "frame1_client_hello_with_intro"})).ok());
    ASSERT_TRUE(server.readClientHello(reader.takeFrame().value()).ok());
    EXPECT_EQ(hex(server.state().hash()), hexv({"noise", "h_after_client_e"}));

    auto hello = server.writeServerHello(vectorHex({"cert_chain", "cert_chain"}));
    ASSERT_TRUE(hello.ok());
    EXPECT_EQ(hex(*hello), hexv({"noise", "server_hello_handshake_message"}));

    ASSERT_TRUE(reader.feed(vectorHex({"noise", "frame2_client_finish"})).ok());
    auto finish = server.readClientFinish(reader.takeFrame().value());
    ASSERT_TRUE(finish.ok()) << finish.error().code.toStdString();
    EXPECT_EQ(hex(finish->clientStaticKey), hexv({"keys", "client_static_pub"}));
    EXPECT_EQ(hex(finish->clientPayload), hexv({"client_payload_login_example"}));
    EXPECT_EQ(hex(server.state().hash()), hexv({"noise", "h_final"}));

    auto transport = server.split();
    ASSERT_TRUE(transport.ok());
    EXPECT_EQ(hex(transport->receive.key()), hexv({"noise", "client_send_key"}));
    EXPECT_EQ(hex(transport->send.key()), hexv({"noise", "client_recv_key"}));

    ASSERT_TRUE(reader.feed(vectorHex({"noise", "frame3_client_transport_counter0"})).ok());
    auto ping = transport->receive.decrypt(reader.takeFrame().value());
    ASSERT_TRUE(ping.ok());
    EXPECT_EQ(hex(*ping), hexv({"noise", "transport_plain_node_1"}));

    // Re-encrypting the server's first frame plaintext gives the vector frame byte for byte.
    const QByteArray serverFrame = vectorHex({"noise", "server_frame_counter0"});
    CipherState clientView(vectorHex({"noise", "client_recv_key"}));
    const QByteArray plain = clientView.decrypt(payloadOf(serverFrame)).value();
    FrameWriter writer;
    EXPECT_EQ(hex(writer.frame(transport->send.encrypt(plain).value()).value()), hex(serverFrame));
}

TEST(WaNoise, BothRolesInteroperateWithFreshKeys)
{
    const crypto::KeyPair serverStatic = crypto::generateX25519KeyPair();
    NoiseHandshake client(NoiseHandshake::Role::Initiator, crypto::generateX25519KeyPair(),
                          crypto::generateX25519KeyPair(), waIntro());
    NoiseHandshake server(NoiseHandshake::Role::Responder, serverStatic, crypto::generateX25519KeyPair(), waIntro());
    ASSERT_TRUE(server.readClientHello(client.writeClientHello().value()).ok());
    // Any chain works when the leaf check is skipped; use the vector chain with a verifier that only fails on
    // the key, to prove the leaf key is compared with the real server static.
    auto serverHello = server.writeServerHello(vectorHex({"cert_chain", "cert_chain"})).value();
    auto read = client.readServerHello(serverHello, testVerifier());
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, QLatin1String(errc::kCertLeafKeyMismatch));
    // A failed handshake stays failed.
    EXPECT_EQ(client.writeClientFinish("x").error().code, QLatin1String(errc::kNoiseOutOfOrder));
}

TEST(WaNoise, RejectsTamperedAndMalformedMessages)
{
    const QByteArray serverHello = vectorHex({"noise", "server_hello_handshake_message"});
    auto freshClient = [] {
        auto c = std::make_unique<NoiseHandshake>(NoiseHandshake::Role::Initiator, keyPair("client_static"),
                                                  keyPair("client_ephemeral"), waIntro());
        EXPECT_TRUE(c->writeClientHello().ok());
        return c;
    };
    const auto code = [&](const QByteArray &message) {
        auto r = freshClient()->readServerHello(message, testVerifier());
        return r.ok() ? std::string() : r.error().code.toStdString();
    };
    EXPECT_EQ(code(serverHello), std::string());
    QByteArray flippedStatic = serverHello;
    flippedStatic[40] = char(flippedStatic[40] ^ 1);
    EXPECT_EQ(code(flippedStatic), errc::kNoiseDecryptFailed);
    QByteArray flippedCert = serverHello;
    flippedCert[serverHello.size() - 1] = char(flippedCert[serverHello.size() - 1] ^ 0x80);
    EXPECT_EQ(code(flippedCert), errc::kNoiseDecryptFailed);
    EXPECT_EQ(code(QByteArray::fromHex("ffff")), errc::kNoiseMalformedMessage);
    EXPECT_EQ(code(QByteArray()), errc::kNoiseMalformedMessage);
    EXPECT_EQ(code(QByteArray::fromHex("1a040a020102")), errc::kNoiseMalformedMessage); // 2-byte ephemeral
    // A low-order ephemeral (all zero) makes X25519 fail instead of yielding a zero key.
    QByteArray zeroEphemeral = serverHello;
    zeroEphemeral.replace(5, 32, QByteArray(32, '\0'));
    EXPECT_EQ(code(zeroEphemeral), errc::kNoiseBadKey);
    // Calls out of order.
    NoiseHandshake client(NoiseHandshake::Role::Initiator, keyPair("client_static"), keyPair("client_ephemeral"),
                          waIntro());
    EXPECT_EQ(client.readServerHello(serverHello, testVerifier()).error().code, QLatin1String(errc::kNoiseOutOfOrder));
    EXPECT_FALSE(client.split().ok());
    NoiseHandshake server(NoiseHandshake::Role::Responder, keyPair("server_static"), keyPair("server_ephemeral"),
                          waIntro());
    EXPECT_FALSE(server.writeClientHello().ok());
    EXPECT_FALSE(server.readClientHello(QByteArray::fromHex("12020a00")).ok());
}

TEST(WaNoise, ResponderRejectsTamperedClientFinish)
{
    QByteArray finish = payloadOf(vectorHex({"noise", "frame2_client_finish"}));
    finish[finish.size() - 5] = char(finish[finish.size() - 5] ^ 0x01);
    NoiseHandshake server(NoiseHandshake::Role::Responder, keyPair("server_static"), keyPair("server_ephemeral"),
                          waIntro());
    ASSERT_TRUE(
        server.readClientHello(payloadOf(vectorHex({"noise", "frame1_client_hello_with_intro"}).sliced(4))).ok());
    ASSERT_TRUE(server.writeServerHello(vectorHex({"cert_chain", "cert_chain"})).ok());
    auto r = server.readClientFinish(finish);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QLatin1String(errc::kNoiseDecryptFailed));
    EXPECT_FALSE(server.split().ok());
}

TEST(WaNoise, TransportRejectsTamperedFramesWithoutAdvancing)
{
    CipherState sender(vectorHex({"noise", "client_send_key"}));
    CipherState receiver(vectorHex({"noise", "client_send_key"}));
    const QByteArray first = sender.encrypt("one").value();
    const QByteArray second = sender.encrypt("two").value();
    QByteArray forged = first;
    forged[0] = char(forged[0] ^ 1);
    EXPECT_EQ(receiver.decrypt(forged).error().code, QLatin1String(errc::kNoiseDecryptFailed));
    EXPECT_EQ(receiver.decrypt(QByteArray(5, 'x')).error().code, QLatin1String(errc::kNoiseDecryptFailed));
    EXPECT_EQ(receiver.counter(), 0u);
    EXPECT_FALSE(receiver.decrypt(second).ok()); // wrong counter: frames cannot be reordered
    EXPECT_EQ(receiver.decrypt(first).value(), QByteArray("one"));
    EXPECT_EQ(receiver.decrypt(second).value(), QByteArray("two"));
    EXPECT_EQ(CipherState::nonce(0x01020304).toHex(), QByteArray("000000000000000001020304"));
}

} // namespace
} // namespace atende::server::whatsapp::test
