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
  photos: {
    addMore: "再加一张",
    preparing: "正在处理照片…",
    nth: "第 {{n}} 张照片",
    remove: "删除第 {{n}} 张",
    uploading: "正在上传：{{percent}}%",
    processing: "已上传，正在保存…",
    failed: "网络中断，议题还没有提交。填写的内容和照片都还在，请再点一次提交。",
  },
  checkIn: {
    allow: "允许不在会场的成员线上自助签到",
    fromAfar: "我在线上参会，签到",
    fromAfarHint: "不在会场？主持人已开放线上签到。",
    done: "签到成功！",
  },
  account: {
    usernameOptional: "用户名（选填）",
    usernameOptionalHint: "可以不填：用手机号和密码登录。要填的话，用 3–32 位小写字母、数字、点、横线或下划线。",
    phone: "手机号",
    phoneHint: "用来登录，不会公开。",
  },
  showPassword: "显示密码",
  largeText: "大字模式",
  largeTextShort: "大字",
  dismiss: "关闭",
  readOnlyAdjourned: "会议已休会，议程文字已成为记录，只能查看。",
} as const;

export const uxErrorsZhCN = {
  phoneOrUsernameRequired: "请填写手机号（用来登录）。",
  selfCheckInOff: "主持人尚未开放线上自助签到，请联系主持人签到。",
  selfCheckInInPerson: "这是线下会议，请在会场扫码签到。",
} as const;
