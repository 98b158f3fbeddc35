// The console's widgets offscreen: composer keys and drafts, quick replies, transfer dialog, palette.

#include "app/console/command_palette.h"
#include "app/console/composer.h"
#include "app/console/transfer_dialog.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include "tests/app/type_text.h"

using namespace atende::app::console;

TEST(Composer, EnterSendsShiftEnterAddsALine)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.show();
    QSignalSpy submitted(&composer, &Composer::submitted);
    atende::test::typeText(composer.editor(), QStringLiteral("Olá"));
    QTest::keyClick(composer.editor(), Qt::Key_Return, Qt::ShiftModifier);
    atende::test::typeText(composer.editor(), QStringLiteral("tudo bem?"));
    EXPECT_EQ(composer.text(), QStringLiteral("Olá\ntudo bem?"));
    EXPECT_EQ(submitted.count(), 0);
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    ASSERT_EQ(submitted.count(), 1);
    EXPECT_EQ(submitted.at(0).at(0).toString(), QStringLiteral("Olá\ntudo bem?"));
    EXPECT_FALSE(submitted.at(0).at(1).toBool()) << "a message, not a note";
    EXPECT_TRUE(composer.text().isEmpty());
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    EXPECT_EQ(submitted.count(), 1) << "an empty composer sends nothing";
}

TEST(Composer, NoteModeIsToggledWithCtrlN)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.show();
    QSignalSpy submitted(&composer, &Composer::submitted);
    QTest::keyClick(composer.editor(), Qt::Key_N, Qt::ControlModifier);
    EXPECT_TRUE(composer.noteMode());
    atende::test::typeText(composer.editor(), QStringLiteral("cliente VIP"));
    QTest::keyClick(composer.editor(), Qt::Key_Enter);
    ASSERT_EQ(submitted.count(), 1);
    EXPECT_TRUE(submitted.at(0).at(1).toBool());
}

TEST(Composer, KeepsADraftPerTicket)
{
    Composer composer;
    composer.setTicket(QStringLiteral("a"));
    atende::test::typeText(composer.editor(), QStringLiteral("rascunho A"));
    composer.setTicket(QStringLiteral("b"));
    EXPECT_TRUE(composer.text().isEmpty());
    atende::test::typeText(composer.editor(), QStringLiteral("rascunho B"));
    composer.setTicket(QStringLiteral("a"));
    EXPECT_EQ(composer.text(), QStringLiteral("rascunho A"));
    EXPECT_EQ(composer.draft(QStringLiteral("b")), QStringLiteral("rascunho B"));
    composer.setTicket({}); // signed out: nothing shown, nothing lost
    EXPECT_FALSE(composer.isEnabled());
    composer.setTicket(QStringLiteral("b"));
    EXPECT_EQ(composer.text(), QStringLiteral("rascunho B"));
}

TEST(Composer, SlashOpensQuickRepliesAndEnterChoosesOne)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.setQuickReplies({{QStringLiteral("1"), QStringLiteral("ola"), QStringLiteral("Saudação"),
                               QStringLiteral("{{greeting}}, {{contact.first_name}}!")},
                              {QStringLiteral("2"), QStringLiteral("horario"), QStringLiteral("Horário"),
                               QStringLiteral("Atendemos das 8h às 18h.")},
                              {QStringLiteral("3"), QStringLiteral("obrigado"), QStringLiteral("Agradecimento"),
                               QStringLiteral("Obrigado pelo contato!")}});
    composer.show();
    QSignalSpy chosen(&composer, &Composer::quickReplyChosen);
    QSignalSpy submitted(&composer, &Composer::submitted);
    atende::test::typeText(composer.editor(), QStringLiteral("/o"));
    ASSERT_TRUE(composer.quickRepliesShown());
    // Shortcuts starting with the text first, then titles containing it ("Horário").
    EXPECT_EQ(composer.shownShortcuts(),
              (QStringList{QStringLiteral("ola"), QStringLiteral("obrigado"), QStringLiteral("horario")}));
    QTest::keyClick(composer.editor(), Qt::Key_Down);
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    EXPECT_EQ(submitted.count(), 0) << "Enter takes the quick reply, it does not send";
    ASSERT_EQ(chosen.count(), 1);
    EXPECT_EQ(chosen.at(0).at(0).value<QuickReplyItem>().shortcut, QStringLiteral("obrigado"));
    composer.replaceCommand(QStringLiteral("Obrigado pelo contato, Maria!"));
    EXPECT_FALSE(composer.quickRepliesShown());
    QTest::keyClick(composer.editor(), Qt::Key_Return);
    ASSERT_EQ(submitted.count(), 1);
    EXPECT_EQ(submitted.at(0).at(0).toString(), QStringLiteral("Obrigado pelo contato, Maria!"));
}

TEST(Composer, QuickRepliesCloseWhenTheTextIsNoCommand)
{
    Composer composer;
    composer.setTicket(QStringLiteral("t1"));
    composer.setQuickReplies({{QStringLiteral("1"), QStringLiteral("ola"), QStringLiteral("Saudação"), {}}});
    composer.show();
    atende::test::typeText(composer.editor(), QStringLiteral("/ol"));
    EXPECT_TRUE(composer.quickRepliesShown());
    atende::test::typeText(composer.editor(), QStringLiteral(" x"));
    EXPECT_FALSE(composer.quickRepliesShown());
}

TEST(TransferDialog, NeedsATargetAndReportsIt)
{
    TransferDialog dialog(
        {{QStringLiteral("s1"), QStringLiteral("Suporte")}, {QStringLiteral("s2"), QStringLiteral("Vendas")}},
        {{QStringLiteral("u1"), QStringLiteral("Alice")}});
    dialog.show();
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled()) << "no sector chosen yet";
    dialog.sectorBox()->setCurrentIndex(2);
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_EQ(dialog.sectorId(), QStringLiteral("s2"));
    EXPECT_TRUE(dialog.userId().isEmpty());
    dialog.toAgentButton()->setChecked(true);
    EXPECT_FALSE(ok->isEnabled()) << "agent mode with no agent chosen";
    EXPECT_TRUE(dialog.sectorId().isEmpty()) << "only one target at a time";
    dialog.agentBox()->setCurrentIndex(1);
    atende::test::typeText(dialog.reasonEdit(), QStringLiteral("cliente pediu"));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    ok->click();
    EXPECT_EQ(accepted.count(), 1);
    EXPECT_EQ(dialog.userId(), QStringLiteral("u1"));
    EXPECT_EQ(dialog.reason(), QStringLiteral("cliente pediu"));
}

TEST(CommandPalette, FiltersByLettersInOrderAndRunsTheAction)
{
    QAction accept(QStringLiteral("Accept"));
    QAction acceptNext(QStringLiteral("Accept next waiting"));
    QAction close(QStringLiteral("Close…"));
    QAction hold(QStringLiteral("Hold"));
    hold.setEnabled(false);
    CommandPalette palette({&accept, &acceptNext, &close, &hold});
    palette.show();
    EXPECT_EQ(palette.shownNames().size(), 4);
    QSignalSpy ran(&acceptNext, &QAction::triggered);
    QSignalSpy ranAccept(&accept, &QAction::triggered);
    atende::test::typeText(palette.filterEdit(), QStringLiteral("acn"));
    EXPECT_EQ(palette.shownNames(), QStringList{QStringLiteral("Accept next waiting")});
    QTest::keyClick(palette.filterEdit(), Qt::Key_Return);
    EXPECT_EQ(ran.count(), 1);
    EXPECT_EQ(ranAccept.count(), 0);
    EXPECT_FALSE(palette.isVisible()) << "the palette closes after running";
}

TEST(CommandPalette, DisabledActionsDoNotRun)
{
    QAction hold(QStringLiteral("Hold"));
    hold.setEnabled(false);
    CommandPalette palette({&hold});
    palette.show();
    QSignalSpy ran(&hold, &QAction::triggered);
    QTest::keyClick(palette.filterEdit(), Qt::Key_Return);
    EXPECT_EQ(ran.count(), 0);
    EXPECT_TRUE(CommandPalette::matches(QStringLiteral("Accept next"), QStringLiteral("a n")));
    EXPECT_FALSE(CommandPalette::matches(QStringLiteral("Hold"), QStringLiteral("x")));
}
