"""PyTorch reference for `npm run bench`: the lecture's SAC (seed/sac-lecture-slides.txt, bugs fixed:
torque 2*tanh(z), target entropy -1, mask 1 at the time limit) on a faithful Pendulum-v1, one thread.
Prints one JSON line: training steps per second (act + env step + one update per step) at the given
hidden size and batch 64, measured after a warm-up. Run with Debian's python3 (python3-torch)."""
import json
import math
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

torch.set_num_threads(1)
hidden = int(sys.argv[1]) if len(sys.argv) > 1 else 64
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
batch_size, gamma, tau = 64, 0.99, 0.005


class Pendulum:
    def reset(self):
        self.th, self.thdot, self.t = random.uniform(-math.pi, math.pi), random.uniform(-1, 1), 0
        return self.obs()

    def obs(self):
        return np.array([math.cos(self.th), math.sin(self.th), self.thdot], dtype=np.float32)

    def step(self, u):
        u = min(max(u, -2.0), 2.0)
        cost = (((self.th + math.pi) % (2 * math.pi)) - math.pi) ** 2 + 0.1 * self.thdot ** 2 + 0.001 * u ** 2
        self.thdot = min(max(self.thdot + (15.0 * math.sin(self.th) + 3.0 * u) * 0.05, -8.0), 8.0)
        self.th += self.thdot * 0.05
        self.t += 1
        return self.obs(), -cost, self.t == 200


class Actor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(3, hidden), nn.Linear(hidden, hidden)
        self.fc3, self.fc4 = nn.Linear(hidden, 1), nn.Linear(hidden, 1)

    def forward(self, x):
        x = torch.relu(self.fc2(torch.relu(self.fc1(x))))
        return self.fc3(x), torch.exp(torch.clamp(self.fc4(x), -20, 2))


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.q1 = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))
        self.q2 = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, s, a):
        x = torch.cat([s, a], 1)
        return self.q1(x), self.q2(x)


def eval_action(mu, std):
    z = mu + std * torch.randn_like(mu)
    a = torch.tanh(z)
    log_prob = torch.distributions.Normal(mu, std).log_prob(z) - torch.log(1 - a.pow(2) + 1e-6)
    return a, log_prob.sum(1, keepdim=True)


torch.manual_seed(500)
random.seed(500)
actor, critic, target = Actor(), Critic(), Critic()
target.load_state_dict(critic.state_dict())
actor_opt, critic_opt = optim.Adam(actor.parameters(), 1e-3), optim.Adam(critic.parameters(), 1e-3)
log_alpha = torch.zeros(1, requires_grad=True)
alpha_opt = optim.Adam([log_alpha], 1e-4)
target_entropy = -1.0
buffer = []
env = Pendulum()
state = env.reset()


def train_step():
    batch = random.sample(buffer, batch_size)
    s = torch.tensor(np.stack([b[0] for b in batch]))
    a = torch.tensor([[b[1]] for b in batch], dtype=torch.float32)
    r = torch.tensor([[b[2]] for b in batch], dtype=torch.float32)
    s2 = torch.tensor(np.stack([b[3] for b in batch]))
    alpha = log_alpha.exp().detach()
    with torch.no_grad():
        a2, logp2 = eval_action(*actor(s2))
        y = r + gamma * (torch.min(*target(s2, a2)) - alpha * logp2)
    q1, q2 = critic(s, a)
    critic_loss = ((q1 - y) ** 2).mean() + ((q2 - y) ** 2).mean()
    critic_opt.zero_grad(); critic_loss.backward(); critic_opt.step()
    pi, logp = eval_action(*actor(s))
    actor_loss = (alpha * logp - torch.min(*critic(s, pi))).mean()
    actor_opt.zero_grad(); actor_loss.backward(); actor_opt.step()
    alpha_loss = -(log_alpha * (logp + target_entropy).detach()).mean()
    alpha_opt.zero_grad(); alpha_loss.backward(); alpha_opt.step()
    with torch.no_grad():
        for p, tp in zip(critic.parameters(), target.parameters()):
            tp.mul_(1 - tau).add_(tau * p)


def run(n):
    global state
    for _ in range(n):
        with torch.no_grad():
            mu, std = actor(torch.tensor(state).unsqueeze(0))
            a = torch.tanh(mu + std * torch.randn_like(mu)).item()
        next_state, reward, truncated = env.step(2.0 * a)
        buffer.append((state, a, reward, next_state))
        if len(buffer) > 10000:
            buffer.pop(0)
        state = env.reset() if truncated else next_state
        if len(buffer) > batch_size:
            train_step()


run(300)  # warm-up
started = time.perf_counter()
run(steps)
elapsed = time.perf_counter() - started
print(json.dumps({"hiddenSize": hidden, "steps": steps, "seconds": elapsed, "updatesPerSecond": steps / elapsed, "torch": torch.__version__}))
