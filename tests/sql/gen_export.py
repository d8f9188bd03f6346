"""A seeded POS / shop export in another system's shape (Chinese headers): order lines sharing an
order number, walk-ins (empty card), statuses (交易成功, 交易关闭, 已退款, 退款中, later lines with an
empty status), refunds with a negative amount, top-ups (充值), free visits (0), discounts given
or left to 应收 − 实收, ids with spaces around, rows after the analysis date."""

import csv
import random
from datetime import datetime, timedelta

HEADER = ["订单号", "会员卡号", "交易时间", "应收金额", "实收金额", "优惠金额", "商品类别", "门店", "订单状态"]
# The warehouse column each header becomes (the contract's names).
CONTRACT = {"订单号": "order_no", "会员卡号": "member_id", "交易时间": "tx_time", "应收金额": "amount", "实收金额": "paid",
            "优惠金额": "discount", "商品类别": "category", "门店": "store", "订单状态": "kind"}
CATEGORIES = ["面霜", "洁面", "面膜", "精华", "彩妆"]
STORES = ["南京西路店", "徐家汇店", "静安寺店"]
START = datetime(2021, 1, 4, 10, 0, 0)


def money(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def generate(path, seed=13, orders=1800):
    rng = random.Random(seed)
    members = [f"V{i:05d}" for i in range(1, 301)]
    blocks = []
    for o in range(orders):
        when = START + timedelta(days=rng.randrange(0, 1200), minutes=rng.randrange(0, 600))
        r = rng.random()
        card = "" if r < 0.1 else rng.choice(members)
        if card and rng.random() < 0.05:
            card = f" {card} "
        order_no = f"SO{o:06d}"
        status = rng.choices(["交易成功", "交易关闭", "已退款", "退款中", "充值", "退货"], [80, 6, 4, 4, 3, 3])[0]
        lines = rng.choice([1, 1, 1, 2, 3])
        block = []
        for i in range(lines):
            paid = rng.choice([0, 1990, 5800, 12800, 26800, 39900, 99])
            if status == "退货":
                paid = -paid
            discount = ""
            amount = ""
            c = rng.random()
            if c < 0.2 and paid > 0:
                d = rng.choice([500, 1000, 2000])
                discount, amount = money(d), money(paid + d)
            elif c < 0.3 and paid > 0:
                amount = money(paid + 300)  # 优惠 left to 应收 − 实收
            elif c < 0.35:
                discount = "0.00"
            # A later line of an order often leaves the status empty: it has the order's.
            line_status = status if i == 0 or rng.random() < 0.5 else ""
            block.append([order_no, card, when.strftime("%Y-%m-%d %H:%M:%S"), amount, money(paid), discount,
                          rng.choice(CATEGORIES), rng.choice(STORES), line_status])
        blocks.append(block)
    # Rows without an order number (a manual entry): each its own transaction.
    for k in range(150):
        when = START + timedelta(days=rng.randrange(0, 1200))
        card = rng.choice(members + [""])
        blocks.append([["", card, when.strftime("%Y-%m-%d %H:%M:%S"), "", money(rng.choice([0, 3300, 4500])), "",
                     rng.choice(CATEGORIES), rng.choice(STORES), rng.choice(["交易成功", ""])]])
    # A receipt number used again on another day, for another member: a separate order.
    blocks.append([["SO000001", "V00299", "2023-12-01 12:00:00", "", "77.00", "", "面霜", STORES[0], "交易成功"]])
    # Orders in no date order (exports sorted by member or by store are common), the lines of an
    # order together (the first with the status).
    rng.shuffle(blocks)
    rows = [line for block in blocks for line in block]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    import sys
    print(generate(sys.argv[1]))
