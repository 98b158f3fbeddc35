#include "app/console/conversation_panel.h"

#include "app/console/composer.h"
#include "app/console/emoji_font.h"
#include "app/console/message_delegate.h"

#include <QFrame>
#include <QLabel>
#include <QListView>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace atende::app::console {

namespace {
constexpr int kLoadMarginPx = 600; // start loading older messages this far from the top
}

ConversationPanel::ConversationPanel(models::ConversationModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_title(new QLabel)
    , m_subtitle(new QLabel)
    , m_toolBar(new QToolBar)
    , m_view(new QListView)
    , m_typing(new QLabel)
    , m_composer(new Composer)
    , m_delegate(new MessageDelegate(this))
    , m_typingTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("conversationPanel"));
    auto *header = new QFrame;
    header->setObjectName(QStringLiteral("panelHeader"));
    m_title->setObjectName(QStringLiteral("panelTitle"));
    m_subtitle->setObjectName(QStringLiteral("panelSubtitle"));
    auto *titles = new QVBoxLayout;
    titles->setSpacing(0);
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    auto *headerRow = new QHBoxLayout(header);
    headerRow->setContentsMargins(14, 8, 8, 8);
    headerRow->addLayout(titles, 1);
    headerRow->addWidget(m_toolBar);
    m_toolBar->setObjectName(QStringLiteral("ticketActions"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_view->setObjectName(QStringLiteral("conversationView"));
    m_view->setModel(model);
    m_view->setItemDelegate(m_delegate);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalScrollBar()->setSingleStep(24);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(200);
    m_view->viewport()->installEventFilter(this);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QListView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (index.isValid())
            Q_EMIT messageMenuRequested(index, m_view->viewport()->mapToGlobal(pos));
    });
    m_typing->setObjectName(QStringLiteral("typingLabel"));
    m_typing->hide();
    m_typingTimer->setSingleShot(true);
    m_typingTimer->setInterval(8000); // a lost "stopped typing" must not leave the line forever
    connect(m_typingTimer, &QTimer::timeout, this, [this] { setTyping(false); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(header);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_typing);
    layout->addWidget(m_composer);

    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) {
        m_stickToBottom = value >= bar->maximum() - 4;
        maybeLoad();
    });
    connect(bar, &QScrollBar::rangeChanged, this, [this] {
        if (m_stickToBottom)
            scrollToBottom();
    });
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &, int first) {
        if (first == 0)
            rememberAnchor();
    });
    connect(model, &models::ConversationModel::olderLoaded, this, [this] { restoreAnchor(); });
    connect(model, &models::ConversationModel::opened, this, [this] {
        m_stickToBottom = true;
        scrollToBottom();
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first) {
        if (first > 0 && m_stickToBottom)
            QTimer::singleShot(0, this, &ConversationPanel::scrollToBottom);
    });
    retranslate();
}

void ConversationPanel::retranslate()
{
    m_typing->setText(tr("customer is typing…"));
    m_composer->retranslate();
}

void ConversationPanel::setHeader(const QString &title, const QString &subtitle)
{
    setLabelText(m_title, title, EmojiFont()); // a contact's name, often with emoji
    m_subtitle->setText(subtitle);
}

void ConversationPanel::setTyping(bool typing)
{
    m_typing->setVisible(typing);
    if (typing)
        m_typingTimer->start();
}

void ConversationPanel::scrollToBottom()
{
    m_view->scrollToBottom();
}

void ConversationPanel::maybeLoad()
{
    QScrollBar *bar = m_view->verticalScrollBar();
    if (bar->value() < kLoadMarginPx && m_model->hasOlder() && !m_model->loading())
        m_model->loadOlder();
    else if (bar->value() > bar->maximum() - kLoadMarginPx && m_model->hasNewer() && !m_model->loading())
        m_model->loadNewer();
}

void ConversationPanel::rememberAnchor()
{
    // The first row on screen and how far its top is from the viewport's top.
    const QModelIndex top = m_view->indexAt(QPoint(8, 2));
    m_anchor = top;
    m_anchorOffset = top.isValid() ? m_view->visualRect(top).top() : 0;
}

void ConversationPanel::restoreAnchor()
{
    if (!m_anchor.isValid())
        return;
    m_view->scrollTo(m_anchor, QAbstractItemView::PositionAtTop);
    QScrollBar *bar = m_view->verticalScrollBar();
    bar->setValue(bar->value() - m_anchorOffset);
    m_anchor = QPersistentModelIndex();
}

bool ConversationPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const QPoint pos = static_cast<QMouseEvent *>(event)->position().toPoint();
        const QModelIndex index = m_view->indexAt(pos);
        if (index.isValid() &&
            index.data(models::ConversationModel::StatusRole).toString() == QLatin1String("failed")) {
            QStyleOptionViewItem option;
            option.initFrom(m_view);
            option.widget = m_view;
            const QRect rowRect = m_view->visualRect(index);
            if (m_delegate->metaRect(option, index).translated(rowRect.topLeft()).contains(pos))
                Q_EMIT retryRequested(index.data(models::ConversationModel::IdRole).toString());
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace atende::app::console
