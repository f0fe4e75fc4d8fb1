// Strings added by issue 15 (usability and accessibility): the live page's announcements,
// the adjourn confirmation, the item page's read-only reasons and shared page furniture.
export const uxZhCN = {
  skipToContent: "跳到正文",
  announce: {
    opened: "会议已开始。",
    adjourned: "会议已休会。",
    item: "现在审议第 {{n}} 项：{{title}}",
    speaker: "现在发言：{{name}}",
    noSpeaker: "发言已结束。",
    voteOpened: "开始表决：{{text}}。请选择赞成、反对或弃权。",
    voteOpenedWatch: "开始表决：{{text}}",
    passed: "表决结果：通过。{{text}}",
    failed: "表决结果：未通过。{{text}}",
  },
  votingTitle: "表决中",
  adjournConfirm: {
    question: "确定休会吗？",
    hint: "休会后会议结束：不能再签到、发言或表决，议程文字成为记录，不能撤销。",
    confirm: "确定休会",
    cancel: "继续开会",
  },
  chairControls: "主持人操作",
  editorLabel: "议程项正文",
  inviteLink: "邀请链接（复制后发给对方）",
  dismiss: "关闭",
  readOnlyAdjourned: "会议已休会，议程文字已成为记录，只能查看。",
} as const;
