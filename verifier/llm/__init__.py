"""Model providers behind one protocol: `get_llm("openai:gpt-4o-mini").complete(messages)`.

See docs/llm.md for endpoints, environment variables, the response cache and the
replay file format.
"""

from verifier.llm.base import LLM, Completion, Message, Role
from verifier.llm.cache import ResponseCache, cache_key
from verifier.llm.registry import get_llm, providers, register
from verifier.llm.replay import ReplayLLM
from verifier.llm.retry import RetryPolicy
from verifier.llm.usage import Usage, UsageMeter

__all__ = [
    "LLM",
    "Completion",
    "Message",
    "ReplayLLM",
    "ResponseCache",
    "RetryPolicy",
    "Role",
    "Usage",
    "UsageMeter",
    "cache_key",
    "get_llm",
    "providers",
    "register",
]
