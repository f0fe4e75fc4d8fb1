// 会议现场（issue 15）：手机上的表决层、撤销休会、会议室投影、语音输入。
export const liveuxZhCN = {
  resume: {
    button: "撤销休会",
    hint: "休会后 {{minutes}} 分钟内，主持人可以撤销休会，会议恢复进行（休会时撤回的动议不会恢复）。",
    until: "可在 {{time}} 前撤销",
  },
  announce: {
    resumed: "主持人已撤销休会，会议恢复进行。",
  },
  vote: {
    layerTitle: "请表决",
    changeable: "表决结束前可以更改选择。",
    back: "返回",
    forSelf: "本人表决",
    reopen: "全屏表决",
  },
  screen: {
    link: "投影屏幕",
    linkHint: "在会议室大屏幕上打开（只显示，不能操作）",
    agenda: "议程",
    currentItem: "正在审议",
    noCurrentItem: "尚未开始审议议程",
    speaker: "发言人",
    nobodySpeaking: "暂无人发言",
    queue: "发言排队",
    queueEmpty: "无人排队",
    voting: "正在表决",
    turnout: "已投票 {{cast}} / {{eligible}} 人",
    hidden: "票数在表决结束后公布",
    result: "表决结果",
    passed: "通过",
    failed: "未通过",
    checkIn: "扫码签到",
    checkInHint: "请用手机扫描二维码签到",
    notOpen: "会议尚未开始",
    adjourned: "会议已休会",
    quorum: "出席 {{present}} / {{seated}} 人，法定人数 {{required}} 人",
    remaining: "剩余 {{time}}",
    overtime: "超时 {{time}}",
    speakerTime: "{{elapsed}} / {{limit}}",
    offline: "连接中断，正在重新连接…",
  },
  voice: {
    start: "语音输入",
    stop: "停止语音输入",
    listening: "正在听，请说话…",
    failed: "没有听清，请再试一次或直接输入。",
  },
};

/** 会议纪要进程（会议的时间线）新增的两步，并入 minutes.timeline */
export const liveuxTimelineZhCN = {
  adjourned: "主持人宣布休会",
  resumed: "主持人撤销休会，会议恢复进行",
};

/** 并入 errors.* */
export const liveuxErrorsZhCN = {
  sessionNotAdjourned: "会议没有休会，无需撤销。",
  resumeWindowOver: "休会已超过 {{minutes}} 分钟，不能再撤销。如需继续议事，请另行安排会议。",
  resumeMinutesSubmitted: "会议纪要已提交征求意见，不能再撤销休会。",
};
