/*
 * Book widget of notebook 06 (credit scoring): an applicant form → the deployed logistic model's P(bad), its
 * scorecard points per attribute, and the decision at the cost-minimising threshold for a chosen cost ratio.
 *
 * Contract (kernel-setup/book/widgets/common.js): CourseWidgets.register(nb, async (root, ctx) => …)
 * with ctx.tf, ctx.models.logistic (the notebook's `finalFit.model`: encoded applicant [1, d] → logit of P(bad)),
 * ctx.data (written by the notebook's `book-export` cell), ctx.t(en, zh).
 *
 * ctx.data (all from the notebook run):
 *   encoder     { categorical, numeric, categories: {col: [..]}, scaling: {col: {mean, std}}, featureNames }
 *               — `finalFit.encoder`; the page encodes exactly as fitTabularEncoder's transform does
 *   attributes  [{ column, description, kind, min?, max? }] — german.doc order; min/max over the 1,000 applicants
 *   scorecard   { factor, offset, bias, basePoints, features: [{ name, weight, pointsPerUnit }] } — `card` (§5)
 *   applicants  [{ row, values: {col: value}, actual: 'good'|'bad', pBad, oofPBad }] — pBad: the notebook's
 *               P(bad) from finalFit.model; oofPBad: cross-validation's out-of-fold P(bad) of that applicant
 *   thresholdScores { pBad: [...], bad: [0|1 ...] } — the 1,000 out-of-fold P(bad) of the logistic model (§3–4)
 *   thresholdAt5   costMinimizingThreshold on those scores at the data set's 5:1 cost (the notebook's number)
 *   medianThreshold, nestedThresholds — the thresholds the notebook chose inside its training folds (5:1)
 *
 * Test handles (kernel-setup/book-widget-tests/06-credit-scoring.js):
 *   #cs-applicant        <select>, value = index into data.applicants (fills the form)
 *   #cs-form             the form; one field per attribute, name = the column (select or number input)
 *   #cs-submit           submit button ("Score")
 *   #cs-pbad             data-value = P(bad) from the TF.js model (full precision)
 *   #cs-score            data-value = scorecard points (base + Σ attribute points)
 *   #cs-decision         data-decision = 'approve' | 'reject'
 *   #cs-threshold        data-value = the cost-minimising threshold on P(bad) ('Infinity' / '-Infinity' at the ends)
 *   #cs-cost-ratio       <input type=range>: cost of a missed bad loan ÷ cost of a rejected good one
 *   #cs-points tr        data-attribute = column, data-points = that attribute's scorecard points
 *   #cs-error            validation message (empty when the form is valid)
 */
(() => {
  'use strict';
  const NB = '06-credit-scoring';

  // Readable labels: [English, Chinese] per column; the English falls back to german.doc's description.
  const LABELS = {
    checking_status: ['Checking account', '支票账户状态'],
    duration_months: ['Duration (months)', '贷款期限（月）'],
    credit_history: ['Credit history', '信用记录'],
    purpose: ['Purpose', '贷款用途'],
    credit_amount: ['Credit amount (DM)', '贷款金额（马克）'],
    savings: ['Savings account / bonds', '储蓄账户 / 债券'],
    employment_since: ['Present employment since', '现职工作年限'],
    installment_rate_pct: ['Installment rate, % of disposable income (coded)', '分期还款占可支配收入比例（编码）'],
    personal_status_sex: ['Personal status and sex', '婚姻状况与性别'],
    other_debtors: ['Other debtors / guarantors', '其他债务人 / 担保人'],
    residence_since: ['Present residence since (coded)', '现住址居住年限（编码）'],
    property: ['Property', '财产'],
    age_years: ['Age (years)', '年龄（岁）'],
    other_installment_plans: ['Other installment plans', '其他分期付款计划'],
    housing: ['Housing', '住房'],
    existing_credits: ['Existing credits at this bank', '在本行的现有贷款笔数'],
    job: ['Job', '职业'],
    num_dependents: ['People liable to maintain', '需抚养人数'],
    telephone: ['Telephone', '电话'],
    foreign_worker: ['Foreign worker', '外籍劳工'],
  };
  // Chinese of german.doc's category labels (the English edition shows the bank's own wording).
  const CATEGORY_ZH = {
    '... < 0 DM': '余额 < 0 马克（透支）',
    '0 <= ... < 200 DM': '0 ≤ 余额 < 200 马克',
    '... >= 200 DM / salary assignments for at least 1 year': '余额 ≥ 200 马克 / 工资代发至少 1 年',
    'no checking account': '无支票账户',
    'no credits taken/ all credits paid back duly': '无贷款 / 所有贷款均按时还清',
    'all credits at this bank paid back duly': '本行的所有贷款均按时还清',
    'existing credits paid back duly till now': '现有贷款至今按时还款',
    'delay in paying off in the past': '过去曾逾期还款',
    'critical account/ other credits existing (not at this bank)': '关键账户 / 在他行另有贷款',
    'car (new)': '新车', 'car (used)': '二手车', 'furniture/equipment': '家具 / 设备', 'radio/television': '收音机 / 电视',
    'domestic appliances': '家用电器', repairs: '维修', education: '教育', retraining: '再培训', business: '经营', others: '其他',
    '... < 100 DM': '< 100 马克', '100 <= ... < 500 DM': '100 ≤ … < 500 马克', '500 <= ... < 1000 DM': '500 ≤ … < 1000 马克',
    '.. >= 1000 DM': '≥ 1000 马克', 'unknown/ no savings account': '未知 / 无储蓄账户',
    unemployed: '无业', '... < 1 year': '< 1 年', '1 <= ... < 4 years': '1 ≤ … < 4 年', '4 <= ... < 7 years': '4 ≤ … < 7 年',
    '.. >= 7 years': '≥ 7 年',
    'male : divorced/separated': '男：离婚 / 分居', 'female : divorced/separated/married': '女：离婚 / 分居 / 已婚',
    'male : single': '男：单身', 'male : married/widowed': '男：已婚 / 丧偶', 'female : single': '女：单身',
    none: '无', 'co-applicant': '共同申请人', guarantor: '担保人',
    'real estate': '房地产', 'if not A121 : building society savings agreement/ life insurance': '（无房地产）住房储蓄协议 / 人寿保险',
    'if not A121/A122 : car or other, not in attribute 6': '（无前两项）汽车或其他财产', 'unknown / no property': '未知 / 无财产',
    bank: '银行', stores: '商店', rent: '租房', own: '自有住房', 'for free': '免费居住',
    'unemployed/ unskilled - non-resident': '无业 / 非技术工人（非常住居民）', 'unskilled - resident': '非技术工人（常住居民）',
    'skilled employee / official': '技术雇员 / 公职人员',
    'management/ self-employed/ highly qualified employee/ officer': '管理层 / 自雇 / 高技能雇员 / 官员',
    'yes, registered under the customers name': '有，登记在客户名下', yes: '是', no: '否',
  };

  const { el } = CourseWidgets;   // el('div', { class: 'x', text: 'hi' }, child…): widgets/common.js

  /**
   * The cost-minimising threshold on P(bad) for cost matrix [[0, 1], [ratio, 0]] — the same rule as
   * costMinimizingThreshold (src/metrics/credit-metrics.ts): sort by score, walk the cut down one distinct score at a
   * time, keep the first least cost; the threshold is the midpoint between the lowest rejected score and the next.
   */
  function costMinimizingThreshold(bad, scores, ratio) {
    const n = bad.length;
    const nBad = bad.reduce((a, b) => a + b, 0);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
    let tp = 0; let fp = 0;
    const cost = () => (fp + (nBad - tp) * ratio) / n;
    const thresholds = [Infinity]; const costs = [cost()]; const rejectRates = [0];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (bad[i] === 1) tp++; else fp++;
      const next = order[k + 1];
      if (next === undefined || scores[next] !== scores[i]) { thresholds.push(scores[i]); costs.push(cost()); rejectRates.push((k + 1) / n); }
    }
    let best = 0;
    for (let i = 1; i < costs.length; i++) if (costs[i] < costs[best] - 1e-12) best = i;
    const last = thresholds.length - 1;
    const threshold = best === 0 ? Infinity : best === last ? -Infinity : (thresholds[best] + thresholds[best + 1]) / 2;
    return { threshold, cost: costs[best], rejectRate: rejectRates[best] };
  }

  CourseWidgets.register(NB, async (root, ctx) => {
    const { tf, t } = ctx;
    const data = ctx.data;
    const model = ctx.models.logistic;
    const enc = data.encoder;
    const card = data.scorecard;
    const lang = ctx.lang;
    const nf = (digits) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    const fmt = (v, digits) => (Number.isFinite(v) ? nf(digits).format(v) : v > 0 ? '∞' : '−∞');
    const labelOf = (a) => (LABELS[a.column] ? t(LABELS[a.column][0], LABELS[a.column][1]) : a.description);
    const categoryText = (v) => (lang === 'zh' ? CATEGORY_ZH[v] || v : v);
    const featureIndex = new Map(enc.featureNames.map((name, j) => [name, j]));
    // The attributes the model uses, in german.doc's order.
    const attributes = data.attributes.filter((a) => enc.categorical.includes(a.column) || enc.numeric.includes(a.column));

    root.classList.add('cs-widget');
    root.append(el('h3', { class: 'cs-title', text: t('Score an applicant with the notebook’s scorecard model', '用笔记本训练的评分卡模型为申请人打分') }));
    root.append(el('p', { class: 'cs-note', text: t(
      `The logistic regression of §5, fitted on all 1,000 applicants, runs in this page. Pick an applicant from the file or edit the form: the page one-hot encodes and standardizes the fields exactly as the notebook’s encoder did, and shows the model’s probability of default, the scorecard points of each attribute and the decision.`,
      `第 5 节在全部 1,000 名申请人上拟合的逻辑回归模型在本页中运行。从数据文件中选一名申请人，或修改表单：页面按笔记本编码器的方式做独热编码和标准化，显示模型给出的违约概率、每个属性的评分卡分数以及审批决定。`) }));

    // ---- applicant picker
    const picker = el('select', { id: 'cs-applicant' });
    data.applicants.forEach((a, k) => {
      const v = a.values;
      picker.append(el('option', { value: k, text: t(
        `#${a.row}: ${v.age_years} y, ${v.credit_amount} DM over ${v.duration_months} months — actually ${a.actual}`,
        `第 ${a.row} 号：${v.age_years} 岁，${v.credit_amount} 马克，${v.duration_months} 个月 —— 实际${a.actual === 'bad' ? '违约' : '按时还款'}`) }));
    });
    root.append(el('label', { class: 'cs-picker' }, el('span', { text: t('Applicant from the data file: ', '数据文件中的申请人：') }), picker));

    // ---- the form: a select per categorical attribute, a number input per numerical one
    const form = el('form', { id: 'cs-form', class: 'cs-form', novalidate: '' });
    const fields = {};
    for (const a of attributes) {
      let input;
      if (enc.categorical.includes(a.column)) {
        input = el('select', { name: a.column });
        for (const c of enc.categories[a.column]) input.append(el('option', { value: c, text: categoryText(c) }));
      } else {
        input = el('input', { name: a.column, type: 'number', step: 1, min: a.min, max: a.max, inputmode: 'numeric' });
      }
      fields[a.column] = input;
      const range = a.min !== undefined ? t(` (data: ${a.min}–${a.max})`, `（数据范围：${a.min}–${a.max}）`) : '';
      form.append(el('label', { class: 'cs-field' }, el('span', { class: 'cs-label', text: labelOf(a) + range }), input));
    }
    form.append(el('button', { id: 'cs-submit', type: 'submit', text: t('Score this applicant', '为该申请人打分') }));
    root.append(form);
    const error = el('p', { id: 'cs-error', class: 'cs-error', role: 'alert' });
    root.append(error);

    // ---- results
    const pbad = el('strong', { id: 'cs-pbad' });
    const score = el('strong', { id: 'cs-score' });
    const decision = el('strong', { id: 'cs-decision' });
    const oofNote = el('p', { class: 'cs-note' });
    const slider = el('input', { id: 'cs-cost-ratio', type: 'range', min: 1, max: 20, step: 0.5, value: 5 });
    const ratioText = el('strong', { class: 'cs-ratio' });
    const thresholdEl = el('strong', { id: 'cs-threshold' });
    const cutoffEl = el('span', { class: 'cs-cutoff' });
    const thresholdNote = el('p', { class: 'cs-note' });
    const pointsBody = el('tbody');
    root.append(el('div', { class: 'cs-results' },
      el('p', {}, el('span', { text: t('Probability of default, P(bad): ', '违约概率 P(bad)：') }), pbad),
      el('p', {}, el('span', { text: t('Scorecard score (higher = safer; 600 points = odds 50:1 good:bad, +20 points per doubling): ',
        '评分卡分数（越高越安全；600 分 = 好坏比 50:1，好坏比每翻一倍加 20 分）：') }), score),
      el('p', {}, el('span', { text: t('Decision: ', '审批决定：') }), decision),
      oofNote));
    root.append(el('div', { class: 'cs-cost' },
      el('label', { for: 'cs-cost-ratio', text: t('Cost of a missed bad loan ÷ cost of a rejected good one: ', '漏掉一笔坏贷款的代价 ÷ 拒绝一位好客户的代价：') }),
      ratioText, slider,
      el('p', {}, el('span', { text: t('Cost-minimising threshold: reject when P(bad) ≥ ', '代价最小的阈值：当 P(bad) ≥ ') }), thresholdEl,
        el('span', { text: t('', ' 时拒绝') }), cutoffEl),
      thresholdNote));
    root.append(el('div', { class: 'cs-table-wrap' }, el('table', { id: 'cs-points', class: 'cs-points' },
      el('caption', { text: t('Scorecard points of each attribute (base points + their sum = the score)', '各属性的评分卡分数（基础分 + 各项之和 = 总分）') }),
      el('thead', {}, el('tr', {}, el('th', { text: t('attribute', '属性') }), el('th', { text: t('value', '取值') }),
        el('th', { text: t('points (+ safer, − riskier)', '分数（+ 更安全，− 更危险）') }))), pointsBody)));

    // ---- the model: encode like fitTabularEncoder's transform, then the TF.js model gives the logit
    function readForm() {
      const row = {};
      for (const a of attributes) {
        const input = fields[a.column];
        if (input.tagName === 'SELECT') { row[a.column] = input.value; continue; }
        const v = input.value.trim() === '' ? NaN : Number(input.value);
        if (!Number.isFinite(v)) throw new Error(t(`${labelOf(a)}: enter a number`, `${labelOf(a)}：请输入数字`));
        row[a.column] = v;
      }
      return row;
    }
    function encode(row) {
      const x = new Float32Array(enc.featureNames.length);
      for (const c of enc.categorical) { const j = featureIndex.get(`${c}=${row[c]}`); if (j !== undefined) x[j] = 1; }
      for (const c of enc.numeric) x[featureIndex.get(c)] = (row[c] - enc.scaling[c].mean) / enc.scaling[c].std;
      return x;
    }
    const predictPBad = (x) => {
      const logit = tf.tidy(() => model.predict(tf.tensor2d(x, [1, x.length])).dataSync()[0]);
      return 1 / (1 + Math.exp(-logit));
    };
    /** Points per attribute: Σ over its model inputs of pointsPerUnit · x (one-hot: the category's points; numbers: per sd). */
    function pointsByAttribute(x) {
      const out = new Map(attributes.map((a) => [a.column, 0]));
      card.features.forEach((f, j) => {
        const column = f.name.split('=')[0];
        if (x[j] !== 0) out.set(column, out.get(column) + f.pointsPerUnit * x[j]);
      });
      return out;
    }

    let current = null;   // { row, pBad, points }
    let thresholdNow = data.thresholdAt5;
    function showDecision() {
      if (!current) return;
      const reject = current.pBad >= thresholdNow;
      decision.dataset.decision = reject ? 'reject' : 'approve';
      decision.className = reject ? 'cs-reject' : 'cs-approve';
      decision.textContent = reject
        ? t(`reject (P(bad) ${fmt(current.pBad, 3)} ≥ ${fmt(thresholdNow, 3)})`, `拒绝（P(bad) ${fmt(current.pBad, 3)} ≥ ${fmt(thresholdNow, 3)}）`)
        : t(`approve (P(bad) ${fmt(current.pBad, 3)} < ${fmt(thresholdNow, 3)})`, `批准（P(bad) ${fmt(current.pBad, 3)} < ${fmt(thresholdNow, 3)}）`);
    }
    function scoreForm() {
      let row;
      try { row = readForm(); } catch (e) { error.textContent = e.message; return; }
      const outside = attributes.filter((a) => a.min !== undefined && (row[a.column] < a.min || row[a.column] > a.max));
      error.textContent = outside.length ? t(`Outside the range of the 1,000 applicants (the model extrapolates): ${outside.map(labelOf).join(', ')}`,
        `超出 1,000 名申请人的取值范围（模型在外推）：${outside.map(labelOf).join('、')}`) : '';
      const x = encode(row);
      const pBad = predictPBad(x);
      const points = pointsByAttribute(x);
      const total = card.basePoints + [...points.values()].reduce((a, b) => a + b, 0);
      current = { row, pBad, points };
      pbad.dataset.value = String(pBad);
      pbad.textContent = t(`${fmt(pBad, 3)} — the model expects ${fmt(100 * pBad, 1)} % of applicants like this one to default`,
        `${fmt(pBad, 3)} —— 模型预计与此人相似的申请人中有 ${fmt(100 * pBad, 1)} % 会违约`);
      score.dataset.value = String(total);
      score.textContent = t(`${fmt(total, 1)} points (base ${fmt(card.basePoints, 1)})`, `${fmt(total, 1)} 分（基础分 ${fmt(card.basePoints, 1)}）`);
      const maxAbs = Math.max(1, ...[...points.values()].map(Math.abs));
      pointsBody.replaceChildren(...attributes.map((a) => {
        const p = points.get(a.column);
        const bar = el('span', { class: `cs-bar ${p >= 0 ? 'cs-pos' : 'cs-neg'}`, style: `width:${(50 * Math.abs(p)) / maxAbs}%` });
        const value = enc.categorical.includes(a.column) ? categoryText(row[a.column]) : String(row[a.column]);
        return el('tr', { 'data-attribute': a.column, 'data-points': p },
          el('td', { text: labelOf(a) }), el('td', { text: value }),
          el('td', { class: 'cs-pts' }, el('span', { class: 'cs-num', text: (p > 0 ? '+' : '') + fmt(p, 1) }), el('span', { class: 'cs-track' }, bar)));
      }));
      showDecision();
    }
    function fillApplicant(k) {
      const a = data.applicants[k];
      for (const at of attributes) fields[at.column].value = String(a.values[at.column]);
      oofNote.textContent = t(
        `Applicant #${a.row} actually turned out ${a.actual}. The model in this page was fitted on all 1,000 applicants, this one included; in the notebook’s cross-validation a model that never saw this applicant gave P(bad) = ${fmt(a.oofPBad, 3)}.`,
        `第 ${a.row} 号申请人实际${a.actual === 'bad' ? '违约' : '按时还款'}。本页的模型在全部 1,000 名申请人（包括此人）上拟合；在笔记本的交叉验证中，一个从未见过此人的模型给出的 P(bad) = ${fmt(a.oofPBad, 3)}。`);
      scoreForm();
    }
    function updateThreshold() {
      const ratio = Number(slider.value);
      const best = costMinimizingThreshold(data.thresholdScores.bad, data.thresholdScores.pBad, ratio);
      thresholdNow = best.threshold;
      ratioText.textContent = ` ${fmt(ratio, 1)} : 1 `;
      thresholdEl.dataset.value = String(best.threshold);
      thresholdEl.textContent = fmt(best.threshold, 3);
      // The same rule in points (§5's cut-off score): P(bad) ≥ t ⇔ score ≤ offset − factor · ln(t / (1 − t)).
      const cutoff = card.offset - card.factor * Math.log(best.threshold / (1 - best.threshold));
      cutoffEl.textContent = Number.isFinite(cutoff) ? t(`, i.e. when the score is ${fmt(cutoff, 1)} points or less`, `，即分数不高于 ${fmt(cutoff, 1)} 分时拒绝`) : '';
      thresholdNote.textContent = t(
        `Recomputed here from the notebook’s 1,000 out-of-fold P(bad) (§4: the minimum of the cost curve): at this ratio it rejects ${fmt(100 * best.rejectRate, 1)} % of them, at ${fmt(best.cost, 3)} per applicant (a rejected good applicant costs 1). A perfectly calibrated model would use 1/(1 + ratio) = ${fmt(1 / (1 + ratio), 3)}. At the data set’s 5:1 the notebook’s own decisions used thresholds chosen inside each training part (nested cross-validation), median ${fmt(data.medianThreshold, 3)}.`,
        `此处根据笔记本的 1,000 个样本外 P(bad) 重新计算（第 4 节代价曲线的最低点）：在这一比值下拒绝其中 ${fmt(100 * best.rejectRate, 1)} %，每位申请人的平均代价为 ${fmt(best.cost, 3)}（拒绝一位好客户的代价记为 1）。完全校准的模型会用 1/(1 + 比值) = ${fmt(1 / (1 + ratio), 3)}。在数据集规定的 5:1 下，笔记本自己的决定使用在各训练部分内部选出的阈值（嵌套交叉验证），中位数为 ${fmt(data.medianThreshold, 3)}。`);
      showDecision();
    }

    picker.addEventListener('change', () => fillApplicant(Number(picker.value)));
    form.addEventListener('submit', (e) => { e.preventDefault(); scoreForm(); });
    form.addEventListener('change', scoreForm);
    slider.addEventListener('input', updateThreshold);
    updateThreshold();
    fillApplicant(0);
  });
})();
