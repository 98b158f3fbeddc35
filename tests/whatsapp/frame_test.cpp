// Stream layer (PROTOCOL.md §1.2): intro forms, u24 framing, split and merged chunks, oversized frames.

#include "test_vectors.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/frame_reader.h"
#include "server/whatsapp/frame_writer.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {
namespace {

TEST(WaFrame, IntroForms)
{
    EXPECT_EQ(waIntro().toHex(), QByteArray("57410603"));
    EXPECT_EQ(waIntroWithRoutingInfo({}).toHex(), QByteArray("57410603"));
    EXPECT_EQ(waIntroWithRoutingInfo(QByteArray::fromHex("0a0b0c")).toHex(), QByteArray("45440001000003"
                                                                                        "0a0b0c"
                                                                                        "57410603"));
}

TEST(WaFrame, WriterPutsIntroBeforeFirstFrameOnly)
{
    FrameWriter writer(waIntro());
    EXPECT_FALSE(writer.introSent());
    EXPECT_EQ(writer.frame(QByteArray::fromHex("aabb"))->toHex(), QByteArray("57410603000002aabb"));
    EXPECT_TRUE(writer.introSent());
    EXPECT_EQ(writer.frame({})->toHex(), QByteArray("000000"));
    FrameWriter server;
    EXPECT_EQ(server.frame(QByteArray(300, 'x'))->first(3).toHex(), QByteArray("00012c"));
}

TEST(WaFrame, WriterRejectsOversizedPayload)
{
    FrameWriter writer;
    EXPECT_TRUE(writer.frame(QByteArray(kMaxFramePayload, '\0')).ok());
    auto tooBig = writer.frame(QByteArray(kMaxFramePayload + 1, '\0'));
    ASSERT_FALSE(tooBig.ok());
    EXPECT_EQ(tooBig.error().code, QLatin1String(errc::kFrameTooLarge));
}

TEST(WaFrame, ReaderCutsFramesFromAnyChunking)
{
    // Three frames and the client's intro, delivered in every possible chunk size.
    const QByteArray stream = QByteArray::fromHex("57410603"
                                                  "000003616263"
                                                  "000000"
                                                  "000001ff");
    for (qsizetype chunk = 1; chunk <= stream.size(); ++chunk) {
        FrameReader reader(FrameReader::Mode::IntroThenFrames);
        QList<QByteArray> frames;
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            ASSERT_TRUE(reader.feed(QByteArrayView(stream).sliced(at, qMin(chunk, stream.size() - at))).ok());
            while (auto f = reader.takeFrame())
                frames.append(*f);
        }
        ASSERT_EQ(frames.size(), 3) << "chunk " << chunk;
        EXPECT_EQ(frames[0], QByteArray("abc"));
        EXPECT_TRUE(frames[1].isEmpty());
        EXPECT_EQ(frames[2], QByteArray::fromHex("ff"));
        EXPECT_TRUE(reader.introReceived());
        EXPECT_EQ(reader.dictionaryVersion(), 3);
    }
}

TEST(WaFrame, ReaderParsesTheVectorClientHello)
{
    const QByteArray wire = vectorHex({"noise", "frame1_client_hello_with_intro"});
    FrameReader reader(FrameReader::Mode::IntroThenFrames);
    ASSERT_TRUE(reader.feed(wire).ok());
    const auto frame = reader.takeFrame();
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->size(), 0x24);
    EXPECT_EQ(*frame, wire.sliced(7));
}

TEST(WaFrame, ReaderAcceptsRoutingInfoIntro)
{
    const QByteArray stream = waIntroWithRoutingInfo("routing!") + QByteArray::fromHex("0000017a");
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        FrameReader reader(FrameReader::Mode::IntroThenFrames);
        ASSERT_TRUE(reader.feed(stream.first(split)).ok());
        ASSERT_TRUE(reader.feed(stream.sliced(split)).ok());
        EXPECT_EQ(reader.routingInfo(), QByteArray("routing!"));
        EXPECT_EQ(reader.takeFrame().value_or(QByteArray()), QByteArray("z"));
    }
}

TEST(WaFrame, ReaderRejectsBadIntros)
{
    const auto code = [](const char *hex) {
        FrameReader reader(FrameReader::Mode::IntroThenFrames);
        auto s = reader.feed(QByteArray::fromHex(hex));
        return s.ok() ? std::string() : s.error().code.toStdString();
    };
    EXPECT_EQ(code("474554202f"), errc::kIntroInvalid); // "GET /"
    EXPECT_EQ(code("57410503"), errc::kIntroInvalid);   // wrong magic
    EXPECT_EQ(code("57410602"), errc::kIntroUnsupportedDictionary);
    EXPECT_EQ(code("45440002"), errc::kIntroInvalid);
    EXPECT_EQ(code("454400010000025a5a57410703"), errc::kIntroInvalid);
    EXPECT_EQ(code("5741"), std::string()); // just incomplete
}

TEST(WaFrame, ReaderRejectsOversizedFramesAndStaysFailed)
{
    FrameReader reader(FrameReader::Mode::Frames, 1024);
    ASSERT_TRUE(reader.feed(QByteArray::fromHex("000400")).ok()); // exactly 1024: fine, waiting for data
    FrameReader small(FrameReader::Mode::Frames, 1024);
    auto s = small.feed(QByteArray::fromHex("000401"));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QLatin1String(errc::kFrameTooLarge));
    EXPECT_FALSE(small.feed(QByteArray::fromHex("000001aa")).ok());
    EXPECT_FALSE(small.takeFrame().has_value());

    // The default limit is the format's own 16 MiB - 1: a full-size header is accepted, not buffered.
    FrameReader full;
    EXPECT_TRUE(full.feed(QByteArray::fromHex("ffffff")).ok());
    EXPECT_FALSE(full.takeFrame().has_value());
}

TEST(WaFrame, ManySmallFramesInOneChunk)
{
    QByteArray stream;
    for (int i = 0; i < 50000; ++i)
        stream.append(QByteArray::fromHex("00000142"));
    FrameReader reader;
    ASSERT_TRUE(reader.feed(stream).ok());
    EXPECT_EQ(reader.pendingFrames(), 50000);
}

} // namespace
} // namespace atende::server::whatsapp::test
